package io.aiomisc.systemd;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A bound Unix datagram socket standing in for systemd's notify socket: a thread of its own
 * collects every datagram, whole, in arrival order. Close it to unbind (the path is deleted).
 */
final class SnReceiver implements AutoCloseable {
    private final AFUNIXDatagramSocket socket;
    private final Path path; // null for the abstract namespace
    private final String address;
    private final List<String> datagrams = new CopyOnWriteArrayList<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>(); // System.nanoTime() of each
    private final Thread collector;

    private SnReceiver(AFUNIXDatagramSocket socket, Path path, String address) {
        this.socket = socket;
        this.path = path;
        this.address = address;
        this.collector =
                Thread.ofPlatform().daemon().name("sn-receiver-" + address).unstarted(this::collect);
    }

    /** Binds {@code path} (a file system socket). */
    static SnReceiver bind(Path path) throws IOException {
        AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        socket.bind(AFUNIXSocketAddress.of(path));
        return started(new SnReceiver(socket, path, path.toString()));
    }

    /** Binds a fresh name in Linux's abstract namespace; {@link #address()} is {@code @name}. */
    static SnReceiver bindAbstract(String name) throws IOException {
        AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        socket.bind(AFUNIXSocketAddress.inAbstractNamespace(name));
        return started(new SnReceiver(socket, null, "@" + name));
    }

    private static SnReceiver started(SnReceiver receiver) {
        receiver.collector.start();
        return receiver;
    }

    /** The address to put into {@code NOTIFY_SOCKET}. */
    String address() {
        return address;
    }

    /** Every datagram received so far, in order. */
    List<String> datagrams() {
        return List.copyOf(datagrams);
    }

    /** When each datagram arrived ({@link System#nanoTime()}), in order; may be one ahead of {@link #datagrams()}. */
    List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The received datagrams equal to {@code text}. */
    long count(String text) {
        return datagrams.stream().filter(text::equals).count();
    }

    private void collect() {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
                throw new AssertionError("receive failed on " + address, e);
            }
            long now = System.nanoTime();
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            arrivals.add(now); // before the datagram: whoever sees the datagram finds its time
            datagrams.add(text);
        }
    }

    /** Unbinds: closes the socket, waits for the collector, deletes the path. */
    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        if (!collector.join(Duration.ofSeconds(10))) {
            throw new AssertionError("the receiver thread of " + address + " did not end");
        }
        if (path != null) {
            Files.deleteIfExists(path);
        }
    }
}
