package io.aiomisc.junit.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Localhost;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.UnusedPort;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** The parameters and fields the extension provides: Entrypoint, @UnusedPort, @Localhost. */
class ParameterResolutionTest {
    /** What the fixtures saw, by what they saw it in. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    /** Every port the fixtures were given. */
    static final Queue<Integer> PORTS = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
        PORTS.clear();
    }

    @AiomiscTest
    static class EntrypointEverywhere {
        @BeforeEach
        void setUp(Entrypoint entrypoint) {
            SEEN.put("before", entrypoint);
            SEEN.put("before current", Entrypoint.current());
            SEEN.put("before running", entrypoint.isRunning());
        }

        @Test
        void body(Entrypoint entrypoint) {
            SEEN.put("body", entrypoint);
            SEEN.put("body current", Entrypoint.current());
            SEEN.put("body virtual", Thread.currentThread().isVirtual());
        }

        @AfterEach
        void tearDown(Entrypoint entrypoint) {
            SEEN.put("after", entrypoint);
            SEEN.put("after current", Entrypoint.current());
            SEEN.put("after running", entrypoint.isRunning());
        }
    }

    @Test
    void theEntrypointParameterIsTheCurrentEntrypointInTheBodyAndTheLifecycleMethods() {
        InnerRun.of(EntrypointEverywhere.class).assertSucceeded(1);
        Object entrypoint = SEEN.get("body");
        assertNotNull(entrypoint);
        for (String key : List.of("body current", "before", "before current", "after", "after current")) {
            assertSame(entrypoint, SEEN.get(key), key);
        }
        assertEquals(true, SEEN.get("before running"));
        assertEquals(true, SEEN.get("after running"));
        assertEquals(true, SEEN.get("body virtual"));
        assertTrue(((Entrypoint) entrypoint).isClosed(), "closed after the test");
    }

    @AiomiscTest
    static class TwoPorts {
        @Test
        void body(@UnusedPort int first, @UnusedPort Integer second) {
            PORTS.add(first);
            PORTS.add(second);
        }
    }

    @Test
    void eachUnusedPortParameterGetsAPortOfItsOwn() {
        InnerRun.of(TwoPorts.class).assertSucceeded(1);
        List<Integer> ports = List.copyOf(PORTS);
        assertEquals(2, ports.size());
        assertNotEquals(ports.get(0), ports.get(1));
        for (int port : ports) {
            assertTrue(port > 0 && port < 65536, () -> "a port: " + port);
        }
    }

    @AiomiscTest
    static class PortField {
        @UnusedPort
        int port;

        @Localhost
        String host;

        @Services
        List<Service> services(@UnusedPort int other, @Localhost String host) {
            SEEN.put("services port", port);
            SEEN.put("services other", other);
            SEEN.put("services host", host);
            SEEN.put("services field host", String.valueOf(this.host));
            return List.of();
        }

        @Test
        void body(@Localhost String host) {
            SEEN.put("body port", port);
            SEEN.put("body host", host);
        }
    }

    @Test
    void theUnusedPortAndLocalhostFieldsAreSetBeforeTheServicesMethodRuns() {
        InnerRun.of(PortField.class).assertSucceeded(1);
        int port = (Integer) SEEN.get("body port");
        assertTrue(port > 0);
        assertEquals(port, SEEN.get("services port"));
        assertNotEquals(port, SEEN.get("services other"));
        assertEquals("127.0.0.1", SEEN.get("services host"));
        assertEquals("127.0.0.1", SEEN.get("services field host"));
        assertEquals("127.0.0.1", SEEN.get("body host"));
    }

    @AiomiscTest
    static class BindsTheReservedPort {
        @Test
        void withAServerSocketChannel(@UnusedPort int port, @Localhost String host) throws IOException {
            PORTS.add(port);
            // a ServerSocketChannel has SO_REUSEADDR on by default (as ServerSocket, Jetty and Netty do)
            try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(host, port));
                    SocketChannel client = SocketChannel.open(new InetSocketAddress(host, port));
                    SocketChannel accepted = server.accept()) {
                SEEN.put("accepted", accepted.getRemoteAddress().equals(client.getLocalAddress()));
            }
        }

        @Test
        void withoutReuseAddress(@UnusedPort int port, @Localhost String host) throws IOException {
            PORTS.add(port);
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(false);
                // the reservation (a bound, not listening socket with SO_REUSEADDR) holds the port
                SEEN.put(
                        "bind failure",
                        assertThrows(BindException.class, () -> server.bind(new InetSocketAddress(host, port))));
            }
        }
    }

    @Test
    void aReservedPortCanBeBoundByAServerSocketChannelWithDefaultOptions() {
        InnerRun.method(BindsTheReservedPort.class, "withAServerSocketChannel").assertSucceeded(1);
        assertEquals(true, SEEN.get("accepted"));
    }

    @Test
    void aReservedPortCannotBeBoundWithoutReuseAddressUntilTheTestEnds() throws IOException {
        InnerRun.method(BindsTheReservedPort.class, "withoutReuseAddress").assertSucceeded(1);
        assertInstanceOf(BindException.class, SEEN.get("bind failure"));
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(false);
            server.bind(new InetSocketAddress("127.0.0.1", PORTS.element()));
            try (Socket client = new Socket("127.0.0.1", PORTS.element());
                    Socket accepted = server.accept()) {
                assertEquals(client.getLocalPort(), accepted.getPort(), "released once the test ended");
            }
        }
    }

    @AiomiscTest
    static class ManyPorts {
        @UnusedPort
        int field;

        @BeforeAll
        static void beforeAll(@UnusedPort int port) {
            PORTS.add(port);
        }

        @Services
        static List<Service> services(@UnusedPort int port) {
            PORTS.add(port);
            return List.of();
        }

        @BeforeEach
        void setUp(@UnusedPort int port) {
            PORTS.add(port);
        }

        @RepeatedTest(20)
        void body(@UnusedPort int first, @UnusedPort int second) {
            PORTS.add(field);
            PORTS.add(first);
            PORTS.add(second);
        }
    }

    @Test
    void noPortIsHandedOutTwiceInTheJvm() {
        InnerRun.of(ManyPorts.class).assertSucceeded(20);
        Set<Integer> first = new HashSet<>(PORTS);
        assertEquals(1 + 20 * 5, PORTS.size());
        assertEquals(PORTS.size(), first.size(), () -> "distinct: " + PORTS);
        PORTS.clear();
        InnerRun.of(ManyPorts.class).assertSucceeded(20);
        for (int port : PORTS) {
            assertTrue(first.add(port), () -> "handed out again: " + port);
        }
    }

    @AiomiscTest
    static class EntrypointInBeforeAll {
        @BeforeAll
        static void setUp(Entrypoint entrypoint) {
            SEEN.put("before all", entrypoint);
        }

        @Test
        void body() {
            SEEN.put("body", "ran");
        }
    }

    @Test
    void anEntrypointParameterOfABeforeAllMethodFailsClearly() {
        Throwable failure = InnerRun.of(EntrypointInBeforeAll.class).containerFailure(EntrypointInBeforeAll.class);
        assertInstanceOf(ParameterResolutionException.class, failure);
        assertTrue(
                failure.getMessage()
                        .contains("an Entrypoint parameter is available to test methods and their "
                                + "@BeforeEach/@AfterEach methods only"),
                failure::getMessage);
        assertTrue(failure.getMessage().contains("EntrypointInBeforeAll.setUp"), failure::getMessage);
        assertEquals(Map.of(), SEEN);
    }

    @AiomiscTest
    static class WrongParameterTypes {
        @Test
        void portAsString(@UnusedPort String port) {
            SEEN.put("port as string", port);
        }

        @Test
        void portAsLong(@UnusedPort long port) {
            SEEN.put("port as long", port);
        }

        @Test
        void hostAsInt(@Localhost int host) {
            SEEN.put("host as int", host);
        }
    }

    @Test
    void anUnusedPortParameterOfAnotherTypeThanIntFailsNamingIt() {
        InnerRun run = InnerRun.of(WrongParameterTypes.class);
        for (String method : List.of("portAsString", "portAsLong")) {
            Throwable failure = run.failure(method);
            assertInstanceOf(ParameterResolutionException.class, failure);
            assertTrue(failure.getMessage().contains("@UnusedPort parameter"), failure::getMessage);
            assertTrue(failure.getMessage().contains("WrongParameterTypes." + method), failure::getMessage);
            assertTrue(failure.getMessage().contains("must be int, not"), failure::getMessage);
        }
        assertEquals(Map.of(), SEEN);
    }

    @Test
    void aLocalhostParameterOfAnotherTypeThanStringFailsNamingIt() {
        Throwable failure = InnerRun.of(WrongParameterTypes.class).failure("hostAsInt");
        assertInstanceOf(ParameterResolutionException.class, failure);
        assertTrue(failure.getMessage().contains("WrongParameterTypes.hostAsInt(int)"), failure::getMessage);
        assertTrue(failure.getMessage().contains("must be String, not int"), failure::getMessage);
    }

    @AiomiscTest
    static class WrongFieldType {
        @UnusedPort
        String port;

        @Test
        void body() {
            SEEN.put("body", "ran");
        }
    }

    @AiomiscTest
    static class StaticField {
        @Localhost
        static String host;

        @Test
        void body() {
            SEEN.put("body", "ran");
        }
    }

    @Test
    void anUnusedPortFieldOfAnotherTypeThanIntFailsNamingIt() {
        Throwable failure = InnerRun.of(WrongFieldType.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("WrongFieldType.port must be an int"), failure::getMessage);
        assertEquals(Map.of(), SEEN);
    }

    @Test
    void aStaticLocalhostFieldFailsNamingIt() {
        Throwable failure = InnerRun.of(StaticField.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(
                failure.getMessage().contains("StaticField.host must be neither static nor final"),
                failure::getMessage);
        assertEquals(Map.of(), SEEN);
    }
}
