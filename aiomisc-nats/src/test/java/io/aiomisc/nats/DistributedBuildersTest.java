package io.aiomisc.nats;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input to the builders of {@link NatsSettings}, {@link DistributedWorkerPool} and {@link WorkerNode}. */
class DistributedBuildersTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private static void refused(String parameter, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(parameter), () -> "'" + e.getMessage() + "' should name " + parameter);
    }

    @Test
    void settingsRefuseBadServersNamingThem() {
        NatsSettings.Builder builder = NatsSettings.builder();
        assertAll(
                () -> refused("servers", builder::servers),
                () -> refused("servers", () -> builder.servers("127.0.0.1:4222")),
                () -> refused("servers", () -> builder.servers("http://127.0.0.1:4222")),
                () -> refused("servers", () -> builder.servers("nats://")),
                () -> refused("servers", () -> builder.servers("nats://a:1", " ")),
                () -> assertThrows(NullPointerException.class, () -> builder.servers((String[]) null)),
                () -> assertThrows(NullPointerException.class, () -> builder.servers("nats://a:1", null)));
        NatsSettings settings = builder.secret(SECRET).build();
        assertEquals(List.of(NatsSettings.DEFAULT_SERVER), settings.servers(), "a refused call changes nothing");
        assertEquals(
                List.of("nats://a:1", "tls://b:2"),
                builder.servers("nats://a:1", "tls://b:2").build().servers());
    }

    @Test
    void settingsRefuseBadPoolNamesAndPrefixesNamingThem() {
        NatsSettings.Builder builder = NatsSettings.builder();
        assertAll(
                () -> refused("pool", () -> builder.pool("")),
                () -> refused("pool", () -> builder.pool("with space")),
                () -> refused("pool", () -> builder.pool("dots.are.subjects")),
                () -> refused("pool", () -> builder.pool("wild*")),
                () -> refused("pool", () -> builder.pool("p".repeat(65))),
                () -> refused("subjectPrefix", () -> builder.subjectPrefix("")),
                () -> refused("subjectPrefix", () -> builder.subjectPrefix("a..b")),
                () -> refused("subjectPrefix", () -> builder.subjectPrefix(".a")),
                () -> refused("subjectPrefix", () -> builder.subjectPrefix("a.")),
                () -> refused("subjectPrefix", () -> builder.subjectPrefix("a.b.c.d.e")),
                () -> refused("subjectPrefix", () -> builder.subjectPrefix("a.>")),
                () -> assertThrows(NullPointerException.class, () -> builder.pool(null)),
                () -> assertThrows(NullPointerException.class, () -> builder.subjectPrefix(null)));
        NatsSettings settings = builder.pool("p".repeat(64))
                .subjectPrefix("a.b-c.d_e.f")
                .secret(SECRET)
                .build();
        assertEquals("a.b-c.d_e.f." + "p".repeat(64) + ".tasks", settings.taskSubject());
    }

    @Test
    void settingsRefuseAShortSecretWithoutShowingIt() {
        String shortSecret = "fifteen-bytes!!";
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> NatsSettings.builder().secret(shortSecret));
        assertTrue(e.getMessage().contains("secret"), e.getMessage());
        assertTrue(e.getMessage().contains("16"), e.getMessage());
        assertFalse(e.getMessage().contains(shortSecret), "the message must not show the secret");
        refused("secret", () -> NatsSettings.builder().secret(new byte[15]));
        assertThrows(NullPointerException.class, () -> NatsSettings.builder().secret((byte[]) null));
        assertThrows(NullPointerException.class, () -> NatsSettings.builder().secret((String) null));
    }

    @Test
    void settingsWithoutASecretCannotBeBuilt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> NatsSettings.builder().build());
        assertTrue(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void theSecretIsCopiedAndNeverPrinted() {
        byte[] secret = SECRET.clone();
        NatsSettings.Builder builder = NatsSettings.builder().secret(secret);
        NatsSettings settings = builder.build();
        secret[0] = 'X';
        assertEquals('0', settings.secret()[0]);
        String text = new String(SECRET, StandardCharsets.UTF_8);
        assertFalse(settings.toString().contains(text), settings.toString());
        assertFalse(builder.toString().contains(text), builder.toString());
    }

    @Test
    void settingsRefuseAckWaitAndMaxDeliverOutOfBoundsNamingThem() {
        NatsSettings.Builder builder = NatsSettings.builder();
        assertAll(
                () -> refused("ackWait", () -> builder.ackWait(Duration.ofMillis(999))),
                () -> refused("ackWait", () -> builder.ackWait(Duration.ZERO)),
                () -> refused("ackWait", () -> builder.ackWait(Duration.ofSeconds(-1))),
                () -> refused(
                        "ackWait", () -> builder.ackWait(Duration.ofDays(1).plusSeconds(1))),
                () -> refused("maxDeliver", () -> builder.maxDeliver(0)),
                () -> refused("maxDeliver", () -> builder.maxDeliver(-1)),
                () -> refused("maxDeliver", () -> builder.maxDeliver(1001)),
                () -> refused("connectTimeout", () -> builder.connectTimeout(Duration.ZERO)),
                () -> refused("connectTimeout", () -> builder.connectTimeout(Duration.ofSeconds(-1))),
                () -> assertThrows(NullPointerException.class, () -> builder.ackWait(null)));
        NatsSettings bounds = builder.ackWait(Duration.ofSeconds(1))
                .maxDeliver(1)
                .secret(SECRET)
                .build();
        assertEquals(Duration.ofSeconds(1), bounds.ackWait());
        assertEquals(1, bounds.maxDeliver());
        NatsSettings upper =
                builder.ackWait(Duration.ofDays(1)).maxDeliver(1000).build();
        assertEquals(Duration.ofDays(1), upper.ackWait());
        assertEquals(1000, upper.maxDeliver());
        NatsSettings defaults = NatsSettings.builder().secret(SECRET).build();
        assertEquals(NatsSettings.DEFAULT_ACK_WAIT, defaults.ackWait());
        assertEquals(NatsSettings.DEFAULT_MAX_DELIVER, defaults.maxDeliver());
        assertEquals("AIOMISC_DEFAULT_TASKS", defaults.taskStream());
    }

    @Test
    void poolBuilderRefusesBadInputNamingIt() {
        DistributedWorkerPool.Builder builder = DistributedWorkerPool.builder();
        assertAll(
                () -> refused("taskTimeout", () -> builder.taskTimeout(Duration.ZERO)),
                () -> refused("taskTimeout", () -> builder.taskTimeout(Duration.ofMillis(-1))),
                () -> refused("maxFrameSize", () -> builder.maxFrameSize(1023)),
                () -> refused("maxFrameSize", () -> builder.maxFrameSize((64 << 20) + 1)),
                () -> refused("deserializationFilter", () -> builder.deserializationFilter("maxrefs=-")),
                () -> refused("deserializationFilter", () -> builder.deserializationFilter("maxdepth=banana")),
                () -> assertThrows(NullPointerException.class, () -> builder.settings(null)),
                () -> assertThrows(NullPointerException.class, () -> builder.taskTimeout(null)));
        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(e.getMessage().contains("settings"), e.getMessage());
    }

    @Test
    void nodeBuilderRefusesBadInputNamingIt() {
        WorkerNode.Builder builder = WorkerNode.builder();
        assertAll(
                () -> refused("concurrency", () -> builder.concurrency(0)),
                () -> refused("concurrency", () -> builder.concurrency(10_001)),
                () -> refused("stopTimeout", () -> builder.stopTimeout(Duration.ofMillis(-1))),
                () -> refused("maxFrameSize", () -> builder.maxFrameSize(1023)),
                () -> refused("maxFrameSize", () -> builder.maxFrameSize((64 << 20) + 1)),
                () -> refused("nodeId", () -> builder.nodeId("")),
                () -> refused("nodeId", () -> builder.nodeId("has space")),
                () -> refused("nodeId", () -> builder.nodeId("n".repeat(129))),
                () -> refused("deserializationFilter", () -> builder.deserializationFilter("maxdepth=banana")),
                () -> assertThrows(NullPointerException.class, () -> builder.nodeId(null)),
                () -> assertThrows(NullPointerException.class, () -> builder.stopTimeout(null)),
                () -> assertThrows(NullPointerException.class, () -> builder.settings(null)));
        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(e.getMessage().contains("settings"), e.getMessage());
        WorkerNode node = builder.settings(NatsSettings.builder().secret(SECRET).build())
                .concurrency(10_000)
                .nodeId("n-1.a_b")
                .build();
        assertEquals(10_000, node.concurrency());
        assertEquals("n-1.a_b", node.id());
        node.close(); // never started: nothing to stop
    }
}
