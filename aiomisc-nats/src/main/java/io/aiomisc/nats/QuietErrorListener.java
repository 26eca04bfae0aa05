package io.aiomisc.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The NATS client's errors through SLF4J (its default writes to java.util.logging). */
final class QuietErrorListener implements ErrorListener {
    private static final Logger log = LoggerFactory.getLogger("io.aiomisc.nats.client");

    @Override
    public void errorOccurred(Connection connection, String error) {
        log.warn("NATS error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection connection, Exception exception) {
        log.debug("NATS client exception (the client reconnects by itself)", exception);
    }
}
