package io.aiomisc.dependency;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** A thread-safe list of events, for tests that check the order things happen in. */
final class Events {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<String> events = new ArrayList<>();

    void add(String event) {
        lock.lock();
        try {
            events.add(event);
        } finally {
            lock.unlock();
        }
    }

    List<String> list() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** A teardown that records "close NAME". */
    <T> java.util.function.Consumer<T> closer(String name) {
        return value -> add("close " + name);
    }
}
