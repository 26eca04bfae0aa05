package io.aiomisc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** A thread-safe list of events, for tests that check the order things happen in. */
public final class Recorder {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<String> events = new ArrayList<>();

    /** Records {@code event}. */
    public void add(String event) {
        lock.lock();
        try {
            events.add(event);
        } finally {
            lock.unlock();
        }
    }

    /** @return the events so far, in order */
    public List<String> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** A teardown that records "close NAME". */
    public <T> java.util.function.Consumer<T> closer(String name) {
        return value -> add("close " + name);
    }

    long count(String event) {
        return events().stream().filter(event::equals).count();
    }

    /** A service that records "start NAME" and "stop NAME" (with the exception it got). */
    Service service(String name) {
        return new RecordingService(this, name);
    }

    static final class RecordingService extends Service {
        private final Recorder recorder;
        private final String name;
        volatile Throwable stopException;
        volatile boolean stopCalled;

        RecordingService(Recorder recorder, String name) {
            this.recorder = recorder;
            this.name = name;
        }

        @Override
        public void start() {
            recorder.add("start " + name);
        }

        @Override
        public void stop(Throwable exception) {
            stopCalled = true;
            stopException = exception;
            recorder.add("stop " + name);
        }

        @Override
        public String name() {
            return name;
        }
    }
}
