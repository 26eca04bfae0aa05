package io.aiomisc.worker;

import java.io.IOException;

/** Throws a {@link WtTaskException} caused by an {@link IOException}. */
record WtFailingTask(String message) implements WorkerTask<String> {
    @Override
    public String call() throws WtTaskException {
        throw new WtTaskException(message, new IOException("the root cause of " + message));
    }
}
