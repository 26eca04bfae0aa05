package io.aiomisc.plugin;

import io.aiomisc.Entrypoint;
import java.util.concurrent.atomic.AtomicInteger;

/** A test plugin registered in META-INF/services: counts its setups and the starts it sees. */
public final class GoodPlugin implements Plugin {
    static final AtomicInteger STARTS_SEEN = new AtomicInteger();
    final AtomicInteger setups = new AtomicInteger();

    public GoodPlugin() {}

    @Override
    public String name() {
        return "good";
    }

    @Override
    public String description() {
        return "A good plugin";
    }

    @Override
    public void setup() {
        if (setups.incrementAndGet() == 1) {
            Entrypoint.PRE_START.connect((entrypoint, services) -> STARTS_SEEN.incrementAndGet());
        }
    }
}
