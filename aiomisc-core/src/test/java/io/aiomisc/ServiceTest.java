package io.aiomisc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServiceTest {
    static class Named extends Service {
        @Override
        public void start() {}
    }

    @Test
    void nameDefaultsToTheClassName() {
        assertEquals("Named", new Named().name());
        assertEquals("Named", new Named().toString());
        Service anonymous = new Named() {};
        assertEquals("Named", anonymous.name(), "an anonymous class is named after the class it extends");
    }

    @Test
    void readyEntrypointAndContextOutsideAnEntrypointAreIllegalStates() {
        Service svc = new Service() {
            @Override
            public void start() {
                ready();
            }
        };
        assertThrows(IllegalStateException.class, svc::start);
        assertThrows(IllegalStateException.class, svc::entrypoint);
        assertThrows(IllegalStateException.class, svc::context);
    }
}
