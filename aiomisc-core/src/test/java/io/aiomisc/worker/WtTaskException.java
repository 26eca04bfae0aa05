package io.aiomisc.worker;

/** A custom checked exception thrown by {@link WtFailingTask} in a worker. */
final class WtTaskException extends Exception {
    private static final long serialVersionUID = 1L;

    WtTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
