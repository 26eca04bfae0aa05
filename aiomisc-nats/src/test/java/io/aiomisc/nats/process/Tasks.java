package io.aiomisc.nats.process;

import io.aiomisc.nats.WorkerNode;
import io.aiomisc.worker.WorkerTask;
import java.io.Serializable;
import java.time.Duration;

/** Tasks of the process-level tests: on the class path of the test JVM and of its child nodes. */
final class Tasks {
    /** What a task prints on its node's stdout when it starts: this, its task id, a space, its index. */
    static final String STARTED = "started ";

    private Tasks() {}

    /** Where a task ran: the node's label and the task id it had there. */
    record Ran(int index, String node, String taskId) implements Serializable {}

    private static Ran started(int index) {
        String taskId = WorkerNode.currentTaskId().orElseThrow();
        System.out.println(STARTED + taskId + " " + index);
        return new Ran(index, System.getenv(ChildNode.LABEL_ENV), taskId);
    }

    /** Prints that it started, sleeps, and says where it ran. */
    record Recording(int index, Duration sleep) implements WorkerTask<Ran> {
        @Override
        public Ran call() throws InterruptedException {
            Ran ran = started(index);
            Thread.sleep(sleep);
            return ran;
        }
    }

    /**
     * Prints that it started; on the node labelled {@code stuckOn} waits (interruptibly) far longer than
     * any test, elsewhere returns at once; says where it ran.
     */
    record StuckOn(String stuckOn) implements WorkerTask<Ran> {
        @Override
        public Ran call() throws InterruptedException {
            Ran ran = started(0);
            if (stuckOn.equals(ran.node())) {
                Thread.sleep(Duration.ofMinutes(10));
            }
            return ran;
        }
    }

    /** {@code n * n}, after a short sleep (so that some tasks are running whenever the broker goes away). */
    record Square(long n, Duration sleep) implements WorkerTask<Long> {
        @Override
        public Long call() throws InterruptedException {
            Thread.sleep(sleep);
            return n * n;
        }
    }

    /** Its text, with the label of the node it ran on. */
    record Echo(String text) implements WorkerTask<String> {
        @Override
        public String call() {
            return text + "@" + System.getenv(ChildNode.LABEL_ENV);
        }
    }
}
