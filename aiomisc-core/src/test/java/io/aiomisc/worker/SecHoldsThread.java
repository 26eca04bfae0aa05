package io.aiomisc.worker;

/** A task class with a field that cannot be serialized. */
final class SecHoldsThread implements WorkerTask<String> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // the point: a Thread is not serializable
    private final Thread thread = Thread.currentThread();

    @Override
    public String call() {
        return thread.getName();
    }
}
