package io.aiomisc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.internal.process.Frame;
import io.aiomisc.internal.process.FrameChannel;
import io.aiomisc.internal.process.Handshake;
import io.aiomisc.testing.CapturedLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pool does with connections that are not its workers, with classes its filter refuses,
 * and with its socket. The connection tests share one running pool (each checks that the pool
 * still serves tasks afterwards).
 */
class WorkerPoolSecurityTest {
    /** Far longer than the pool needs to answer; only a connection it left open reaches it. */
    private static final Duration HANG = Duration.ofSeconds(30);

    private static WorkerPool pool;

    @TempDir
    Path temp;

    @BeforeAll
    static void startPool() throws Exception {
        pool = WorkerPool.builder()
                .workers(1)
                .handshakeTimeout(Duration.ofSeconds(2)) // long enough for the real worker on a loaded machine
                .build();
        pool.start();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void aConnectionWithAWrongProofIsRefusedCountedAndGivenNoWork() throws Exception {
        long badAuth = pool.statistic().badAuth.value();
        Set<Long> workers = pool.pids();
        long impersonated = workers.iterator().next();
        try (CapturedLogs logs = CapturedLogs.of(WorkerPool.class, Level.WARN);
                FrameChannel intruder = connect()) {
            Frame challenge = assertTimeoutPreemptively(HANG, intruder::receive);
            assertEquals(Frame.CHALLENGE, challenge.type());
            assertEquals(Handshake.NONCE_SIZE, challenge.body().length);
            // claims to be the real worker 0, with its pid, but cannot compute the HMAC without the cookie
            intruder.send(Frame.of(Frame.AUTH, out -> {
                out.writeInt(0);
                out.writeLong(impersonated);
                out.write(Handshake.random(Handshake.NONCE_SIZE));
                out.write(Handshake.random(32));
            }));
            assertEquals(
                    Frame.AUTH_FAIL,
                    assertTimeoutPreemptively(HANG, intruder::receive).type());
            assertTimeoutPreemptively(
                    HANG, () -> assertThrows(EOFException.class, intruder::receive, "the pool sent more"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.statistic().badAuth.value() == badAuth + 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.contains(Level.WARN, "wrong proof"));
        }
        // the real worker still serves, and was not displaced by the impostor
        assertEquals(42, pool.createTask(() -> 42).await());
        assertEquals(workers, pool.pids());
    }

    @Test
    void garbageBytesCloseTheConnectionAreLoggedAndCounted() throws Exception {
        assertRefused(
                ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                "larger than the limit of " + Handshake.MAX_HANDSHAKE_BODY);
    }

    @Test
    void anOversizeLengthHeaderClosesTheConnectionBeforeItsBodyIsRead() throws Exception {
        // no body follows: a pool that tried to read (or allocate) 2 GiB would wait and count nothing
        assertRefused(
                ByteBuffer.allocate(5)
                        .putInt(Integer.MAX_VALUE)
                        .put((byte) Frame.AUTH)
                        .flip(),
                "larger than the limit of " + Handshake.MAX_HANDSHAKE_BODY);
    }

    @Test
    void aWellFormedFrameOfTheWrongTypeClosesTheConnection() throws Exception {
        byte[] request = new byte[5 + 8 + 4];
        ByteBuffer.wrap(request)
                .putInt(1 + 8 + 4)
                .put((byte) Frame.REQUEST)
                .putLong(1)
                .putInt(0xACED0005);
        assertRefused(ByteBuffer.wrap(request), "expected an AUTH frame, got type " + Frame.REQUEST);
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        // the pool under test has a 2 s handshake timeout instead of the default 10 s
        assertRefused(ByteBuffer.allocate(0), "no valid proof within 2000 ms");
    }

    /**
     * Connects, sends {@code bytes}, and checks that the pool closes the connection, counts it in
     * bad_auth, logs a WARNING containing {@code why}, and still serves tasks.
     */
    private static void assertRefused(ByteBuffer bytes, String why) throws Exception {
        long badAuth = pool.statistic().badAuth.value();
        try (CapturedLogs logs = CapturedLogs.of(WorkerPool.class, Level.WARN);
                SocketChannel intruder = SocketChannel.open(pool.address())) {
            while (bytes.hasRemaining()) {
                intruder.write(bytes);
            }
            assertTimeoutPreemptively(HANG, () -> assertClosedAfterChallengeAtMost(intruder), "still open");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.statistic().badAuth.value() == badAuth + 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.contains(Level.WARN, why));
            assertTrue(
                    logs.contains(Level.WARN, "Refused a connection"),
                    logs.events().toString());
        }
        assertEquals("still serving", pool.createTask(() -> "still serving").await());
    }

    /** Reads until the pool closes the connection: nothing but its CHALLENGE frame may come first. */
    private static void assertClosedAfterChallengeAtMost(SocketChannel intruder) throws IOException {
        ByteBuffer received = ByteBuffer.allocate(1024);
        try {
            while (intruder.read(received) >= 0) {
                assertTrue(received.position() <= 5 + Handshake.NONCE_SIZE, "the pool sent more than a challenge");
            }
        } catch (IOException e) {
            // a reset is a close too (TCP resets a connection closed with unread bytes)
        }
        if (received.position() > 0) {
            assertEquals(1 + Handshake.NONCE_SIZE, received.getInt(0));
            assertEquals(Frame.CHALLENGE, received.get(4));
        }
    }

    private static FrameChannel connect() throws IOException {
        return new FrameChannel(SocketChannel.open(pool.address()), 1024);
    }

    @Test
    void classesTheFilterRefusesAreNeverBuiltInTheWorkerNorInTheParent() throws Exception {
        // the tripwire works: read without the filter, its readObject leaves the marker
        Path control = temp.resolve("control");
        readUnfiltered(write(new SecMarker(control)));
        assertTrue(Files.exists(control), "SecMarker's readObject did not run");

        Path inWorker = temp.resolve("in-worker");
        Path inParent = temp.resolve("in-parent");
        WorkerPool filtered = WorkerPool.builder()
                .workers(1)
                .deserializationFilter("!io.aiomisc.worker.SecMarker")
                .build();
        try (filtered) {
            filtered.start();
            Set<Long> workers = filtered.pids();

            // a task carrying the class: refused by the worker's filter, before an instance exists
            SecMarker carried = new SecMarker(inWorker);
            Exception refused = assertThrows(Exception.class, () -> filtered.createTask(() -> carried.hashCode())
                    .await());
            assertInstanceOf(InvalidClassException.class, refused);
            assertTrue(refused.getMessage().contains("class io.aiomisc.worker.SecMarker"), refused.getMessage());

            // a result of the class: refused by the parent's filter
            String parentMarker = inParent.toString();
            Exception refusedResult =
                    assertThrows(Exception.class, () -> filtered.createTask(() -> new SecMarker(Path.of(parentMarker)))
                            .await());
            assertInstanceOf(InvalidClassException.class, refusedResult);
            assertTrue(
                    refusedResult.getMessage().contains("class io.aiomisc.worker.SecMarker"),
                    refusedResult.getMessage());

            // a JDK class outside the default allow-list, in a task and in a result
            URL url = URI.create("https://example.com/").toURL();
            Exception jdk = assertThrows(Exception.class, () -> filtered.createTask(() -> url.getHost())
                    .await());
            assertInstanceOf(InvalidClassException.class, jdk);
            assertTrue(jdk.getMessage().contains("class java.net.URL"), jdk.getMessage());
            Exception jdkResult = assertThrows(Exception.class, () -> filtered.createTask(
                            () -> URI.create("https://example.com/").toURL())
                    .await());
            assertTrue(jdkResult.getMessage().contains("class java.net.URL"), jdkResult.getMessage());

            // nothing was built, and the worker that refused the frames serves on
            assertEquals("ok", filtered.createTask(() -> "ok").await());
            assertEquals(workers, filtered.pids());
        }
        assertFalse(Files.exists(inWorker), "SecMarker.readObject ran in the worker");
        assertFalse(Files.exists(inParent), "SecMarker.readObject ran in the parent");
    }

    @Test
    void anExceptionTheFilterRefusesComesBackAsAStandInNamingItsClassAndMessage() throws Exception {
        // a JDK exception outside java.*: the parent's filter refuses it, so the worker must not send
        // it as itself (the parent would see only the filter's refusal, without the message)
        Exception thrown = assertThrows(Exception.class, () -> pool.createTask(() -> {
                    throw new javax.crypto.BadPaddingException("the padding is wrong");
                })
                .await());
        assertEquals(RuntimeException.class, thrown.getClass(), thrown.toString());
        assertTrue(thrown.getMessage().contains("javax.crypto.BadPaddingException"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("the padding is wrong"), thrown.getMessage());
        // the worker's stack trace comes along
        assertTrue(
                java.util.Arrays.stream(thrown.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().contains("WorkerPoolSecurityTest")),
                java.util.Arrays.toString(thrown.getStackTrace()));
    }

    @Test
    void theSocketFileAndItsPrivateDirectoryLiveExactlyAsLongAsThePool() throws Exception {
        Path socket;
        Path directory;
        try (WorkerPool own = new WorkerPool(1)) {
            own.start();
            UnixDomainSocketAddress address = assertInstanceOf(UnixDomainSocketAddress.class, own.address());
            socket = address.getPath();
            directory = socket.getParent();
            assertTrue(Files.exists(socket), socket.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
            assertEquals(
                    own.pids().iterator().next(),
                    own.createTask(() -> ProcessHandle.current().pid()).await());
        }
        assertFalse(Files.exists(socket), socket + " is left behind");
        assertFalse(Files.exists(directory), directory + " is left behind");
    }

    @Test
    void theLoopbackTcpFallbackServesTasks() throws Exception {
        try (WorkerPool tcp = WorkerPool.builder().workers(1).unixSocket(false).build()) {
            tcp.start();
            InetSocketAddress address = assertInstanceOf(InetSocketAddress.class, tcp.address());
            assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
            long pid = tcp.createTask(() -> ProcessHandle.current().pid()).await();
            assertNotEquals(ProcessHandle.current().pid(), pid);
            assertEquals(tcp.pids(), Set.of(pid));
            assertEquals(
                    java.util.List.of(1, 2),
                    tcp.createTask(() -> java.util.List.of(1, 2)).await());
        }
    }

    private static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static void readUnfiltered(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.readObject();
        }
    }
}
