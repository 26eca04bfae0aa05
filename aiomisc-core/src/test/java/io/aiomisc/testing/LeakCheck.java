package io.aiomisc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.aiomisc.internal.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves aiomisc threads behind: after each test, waits up to 10 s for the
 * number of live aiomisc threads (virtual and platform, JVM-wide ones excepted) to return to what
 * it was before the test, and for every aiomisc platform thread started during the test to exit.
 * Registered for every test through JUnit's extension auto-detection.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("live", Threads.live());
        context.getStore(NAMESPACE).put("platform", aiomiscPlatformThreads().keySet());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        int before = context.getStore(NAMESPACE).get("live", Integer.class);
        Set<Long> platformBefore = context.getStore(NAMESPACE).get("platform", Set.class);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Map<Long, Thread> extra = aiomiscPlatformThreads();
            extra.keySet().removeAll(platformBefore);
            int live = Threads.live();
            if (live <= before && extra.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                List<String> names = new ArrayList<>();
                for (Thread thread : extra.values()) {
                    names.add(thread.getName() + " " + List.of(thread.getStackTrace()));
                }
                fail("test leaked threads: " + (live - before)
                        + " more live aiomisc threads than before; new platform threads: " + names);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private static Map<Long, Thread> aiomiscPlatformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("aiomisc-") && !t.getName().startsWith(Threads.GLOBAL_PREFIX))
                .filter(Thread::isAlive)
                .collect(Collectors.toMap(Thread::threadId, t -> t, (a, b) -> a, java.util.HashMap::new));
    }

    /** The ids of live aiomisc platform threads (for tests that check thread counts themselves). */
    public static Set<Long> platformThreadIds() {
        return new HashSet<>(aiomiscPlatformThreads().keySet());
    }
}
