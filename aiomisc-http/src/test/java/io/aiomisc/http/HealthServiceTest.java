package io.aiomisc.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.testing.TestEntrypoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HealthServiceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpResponse<String> get(HealthService health, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + health.localAddress().getPort() + path))
                        .timeout(PATIENCE)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void assertAnswer(HealthService health, String path, int status, String state) throws Exception {
        HttpResponse<String> response = get(health, path);
        assertEquals(status, response.statusCode(), path);
        assertEquals("{\"status\":\"" + state + "\"}", response.body(), path);
        assertTrue(
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().map().toString());
    }

    private static boolean bound(HealthService health) {
        try {
            health.localAddress();
            return true;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    /** Runs {@code action} on a thread of its own; the reference holds what it threw. */
    private static Thread inThread(String name, AtomicReference<Throwable> failure, Callable action) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                action.call();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    @FunctionalInterface
    private interface Callable {
        void call() throws Exception;
    }

    @Test
    void outsideAnEntrypointLiveAndReadyAnswer200AndOtherPaths404() throws Exception {
        HealthService health = new HealthService("127.0.0.1", 0);
        health.start();
        try {
            assertAnswer(health, "/health/live", 200, "live");
            assertAnswer(health, "/health/ready", 200, "ready");
            HttpResponse<String> unknown = get(health, "/health/other");
            assertEquals(404, unknown.statusCode());
            assertEquals(404, get(health, "/").statusCode());
        } finally {
            health.stop(null);
        }
        assertThrows(IllegalStateException.class, health::localAddress);
    }

    @Test
    void readinessFollowsTheEntrypointThroughStartAndShutdown() throws Exception {
        HealthService health = new HealthService("127.0.0.1", 0);
        HtLatchedService slow = new HtLatchedService();
        CountDownLatch shutdownBegun = new CountDownLatch(1);
        CountDownLatch releaseShutdown = new CountDownLatch(1);
        Entrypoint entrypoint = TestEntrypoints.builder().services(health, slow).build();
        // Holds the shutdown after it began and before the services stop, so the health server
        // still answers while the entrypoint is stopping.
        entrypoint.preStop().connect((ep, services) -> {
            shutdownBegun.countDown();
            releaseShutdown.await();
        });
        AtomicReference<Throwable> startFailure = new AtomicReference<>();
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        Thread starter = inThread("health-test-start", startFailure, entrypoint::start);
        try {
            assertTrue(slow.starting.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "slow service never started");
            await().atMost(PATIENCE).until(() -> bound(health));

            // another service is still starting
            assertFalse(entrypoint.isRunning());
            assertAnswer(health, "/health/ready", 503, "starting");
            assertAnswer(health, "/health/live", 200, "live");

            slow.release.countDown();
            starter.join(PATIENCE);
            assertFalse(starter.isAlive(), "start() did not return");
            assertNull(startFailure.get());
            assertTrue(entrypoint.isRunning());
            assertAnswer(health, "/health/ready", 200, "ready");

            Thread closer = inThread("health-test-close", closeFailure, entrypoint::close);
            assertTrue(shutdownBegun.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "shutdown never began");
            assertAnswer(health, "/health/ready", 503, "stopping");
            assertAnswer(health, "/health/live", 200, "live");

            releaseShutdown.countDown();
            closer.join(PATIENCE);
            assertFalse(closer.isAlive(), "close() did not return");
            assertNull(closeFailure.get());
            assertThrows(IllegalStateException.class, health::localAddress);
        } finally {
            slow.release.countDown();
            releaseShutdown.countDown();
            starter.join(PATIENCE);
            entrypoint.close();
        }
    }

    @Test
    void aPortOutOfRangeIsRejectedNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new HealthService("127.0.0.1", 70000));
        assertTrue(e.getMessage().contains("port") && e.getMessage().contains("70000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HealthService("127.0.0.1", -1));
    }
}
