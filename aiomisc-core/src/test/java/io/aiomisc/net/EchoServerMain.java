package io.aiomisc.net;

import io.aiomisc.Entrypoint;
import io.aiomisc.testing.TestEntrypoints;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A child JVM for {@link AcceptUnderDescriptorExhaustionTest}: a line echo server on an ephemeral
 * port, printing {@code PORT <n>} once it serves, running until killed.
 */
public final class EchoServerMain {
    private EchoServerMain() {}

    public static void main(String[] args) throws Exception {
        TcpServer server = TcpServer.create("127.0.0.1", 0, (reader, writer) -> {
            for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
                writer.write(line);
            }
        });
        try (Entrypoint ep = TestEntrypoints.builder().services(server).start()) {
            InetSocketAddress address = server.localAddress();
            // one exchange first, so that every class the server needs is loaded while descriptors are left
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                socket.getOutputStream().write("warm-up\n".getBytes(StandardCharsets.UTF_8));
                new StreamReader(socket.getInputStream()).readLine();
            }
            System.out.println("PORT " + address.getPort());
            System.out.flush();
            Thread.currentThread().join(); // until killed
        }
    }
}
