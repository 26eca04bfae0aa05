package io.aiomisc.testing;

import io.aiomisc.Entrypoint;
import java.time.Duration;

/** Entrypoints for tests. */
public final class TestEntrypoints {
    private TestEntrypoints() {}

    /**
     * A builder that leaves the JVM's signal handlers and logging alone and gives stopping 20 s
     * (a test that needs longer is broken).
     */
    public static Entrypoint.Builder builder() {
        return Entrypoint.builder().catchSignals(false).logConfig(false).shutdownTimeout(Duration.ofSeconds(20));
    }
}
