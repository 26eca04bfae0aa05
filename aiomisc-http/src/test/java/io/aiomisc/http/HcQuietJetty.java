package io.aiomisc.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Raises Jetty's loggers to INFO for a test class: without a Logback configuration they log at
 * DEBUG, which slows 500 concurrent requests several times over (tens of MB of output) and makes
 * the tests' time bounds depend on disk speed. Warnings and errors still show.
 */
final class HcQuietJetty implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HcQuietJetty.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Logger jetty = (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
        context.getStore(NAMESPACE).put("level", jetty.getLevel() == null ? "" : jetty.getLevel().levelStr);
        jetty.setLevel(Level.INFO);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String previous = context.getStore(NAMESPACE).get("level", String.class);
        ((Logger) LoggerFactory.getLogger("org.eclipse.jetty"))
                .setLevel(previous == null || previous.isEmpty() ? null : Level.toLevel(previous));
    }
}
