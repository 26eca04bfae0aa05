package io.aiomisc.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link PortReservation}, the mechanism behind {@link UnusedPort}. */
class ExtensionPortReservationTest {
    @Test
    void aPortIsNeverHandedOutTwiceAcrossManyReservations() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            try (PortReservation reservation = PortReservation.reserve()) {
                // released at once: the operating system may offer the port again, the JVM must not
                assertTrue(ports.add(reservation.port()), () -> "handed out twice: " + reservation.port());
            }
        }
    }

    @Test
    void concurrentReservationsNeverShareAPort() throws Exception {
        List<Future<List<Integer>>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                futures.add(executor.submit(() -> {
                    List<Integer> ports = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        try (PortReservation reservation = PortReservation.reserve()) {
                            ports.add(reservation.port());
                        }
                    }
                    return ports;
                }));
            }
        }
        Set<Integer> all = new HashSet<>();
        for (Future<List<Integer>> future : futures) {
            all.addAll(future.get());
        }
        assertEquals(400, all.size());
    }

    @Test
    void aReservedPortCanBeBoundByAServerSocketChannelWithDefaultOptions() throws IOException {
        try (PortReservation reservation = PortReservation.reserve();
                ServerSocketChannel server =
                        ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", reservation.port()));
                SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", reservation.port()));
                SocketChannel accepted = server.accept()) {
            assertEquals(client.getLocalAddress(), accepted.getRemoteAddress());
        }
    }

    @Test
    void aReservedPortCannotBeBoundWithoutReuseAddressUntilReleased() throws IOException {
        try (PortReservation reservation = PortReservation.reserve()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", reservation.port());
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(false);
                // the reservation: a socket bound with SO_REUSEADDR, not listening, which only sockets that also
                // set SO_REUSEADDR may share; that keeps the port out of the operating system's hands meanwhile
                assertThrows(BindException.class, () -> server.bind(address));
            }
            reservation.close();
            reservation.close(); // idempotent
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(false);
                server.bind(address);
                try (Socket client = new Socket("127.0.0.1", reservation.port());
                        Socket accepted = server.accept()) {
                    assertEquals(client.getLocalPort(), accepted.getPort());
                }
            }
        }
    }
}
