package io.aiomisc.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An unused TCP port held for a test ({@link UnusedPort}): a socket bound to the wildcard address
 * and the port with {@code SO_REUSEADDR}, not listening, keeps the operating system from handing the
 * port out while a server with {@code SO_REUSEADDR} can still bind it; a JVM-wide set keeps the same
 * port from being handed out twice, even after its reservation was released. Closing releases the
 * socket (idempotent).
 */
final class PortReservation implements AutoCloseable {
    private static final int ATTEMPTS = 1000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final Socket holder;
    private final int port;

    private PortReservation(Socket holder) {
        this.holder = holder;
        this.port = holder.getLocalPort();
    }

    /**
     * Reserves a port never handed out before in this JVM.
     *
     * @throws UncheckedIOException if no socket can be bound, or every port offered was taken
     */
    static PortReservation reserve() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Socket holder = bind();
            if (HANDED_OUT.add(holder.getLocalPort())) {
                return new PortReservation(holder);
            }
            closeQuietly(holder); // handed out before: its test may be over, its port must not be reused
        }
        throw new UncheckedIOException(new IOException(
                "no unused port found in " + ATTEMPTS + " attempts (" + HANDED_OUT.size() + " handed out so far)"));
    }

    private static Socket bind() {
        IOException failure = null;
        for (String wildcard : new String[] {"0.0.0.0", "::"}) {
            Socket holder = new Socket();
            try {
                holder.setReuseAddress(true);
                holder.bind(new InetSocketAddress(wildcard, 0));
                return holder;
            } catch (IOException e) {
                closeQuietly(holder);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw new UncheckedIOException("cannot bind a socket to reserve a port", failure);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        closeQuietly(holder);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing was sent on it: closing cannot lose anything
        }
    }
}
