package io.aiomisc.benchmarks.journald;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A stand-in for journald: binds a Unix datagram socket at a path and drains it on its own
 * platform thread, counting datagrams and their bytes, as the real journal's socket would receive
 * them. {@link #count()} returns what arrived since the previous call, once every datagram sent
 * before the call has been read (a marker datagram sent through the same socket queue closes the
 * count: a Unix datagram socket's queue is first in, first out).
 *
 * <p>Thread-safety: {@link #count()} and {@link #close()} from one thread at a time; the counters
 * belong to the receiving thread.
 */
public final class JournalReceiver implements AutoCloseable {
    /** The count of one interval: every datagram, and the records among them. */
    public record Count(long datagrams, long bytes, long records, long recordBytes) {}

    private static final byte[] MARKER = "AIOMISC_BENCHMARK_MARK=1\n".getBytes(StandardCharsets.UTF_8);
    // larger than any record of the benchmark; the journal's own limit is far above it
    private static final int MAX_DATAGRAM = 256 * 1024;

    private final Path path;
    private final byte[] recordPrefix;
    private final AFUNIXDatagramSocket socket;
    private final AFUNIXDatagramSocket marker;
    private final BlockingQueue<Object> counts = new ArrayBlockingQueue<>(1);
    private final Thread thread;

    private JournalReceiver(Path path, byte[] recordPrefix, AFUNIXDatagramSocket socket, AFUNIXDatagramSocket marker) {
        this.path = path;
        this.recordPrefix = recordPrefix;
        this.socket = socket;
        this.marker = marker;
        this.thread = Thread.ofPlatform().daemon().name("journal-receiver").unstarted(this::drain);
    }

    /**
     * Binds {@code path} (which must not exist) and starts draining it.
     *
     * @param path the socket's path; removed again by {@link #close()}
     * @param recordPrefix a datagram starting with these bytes counts as a record
     * @return the started receiver
     * @throws IOException if the socket cannot be bound (for example, the path exists)
     */
    public static JournalReceiver bind(Path path, String recordPrefix) throws IOException {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the journal socket path exists already: " + path);
        }
        AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        AFUNIXDatagramSocket marker = null;
        try {
            socket.bind(AFUNIXSocketAddress.of(path));
            marker = AFUNIXDatagramSocket.newInstance();
            marker.connect(AFUNIXSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (marker != null) {
                marker.close();
            }
            Files.deleteIfExists(path);
            throw e;
        }
        JournalReceiver receiver =
                new JournalReceiver(path, recordPrefix.getBytes(StandardCharsets.UTF_8), socket, marker);
        receiver.thread.start();
        return receiver;
    }

    /**
     * What arrived since the previous call (or since {@link #bind}). Blocks until the receiving
     * thread has read every datagram sent before this call, 60 s at the most.
     *
     * @return the count
     * @throws IOException if the marker cannot be sent, the receiver failed, or it does not answer
     *     within 60 s
     * @throws InterruptedException if interrupted while waiting (the flag is cleared, as the
     *     exception says)
     */
    public Count count() throws IOException, InterruptedException {
        marker.send(new DatagramPacket(MARKER, MARKER.length));
        Object answer = counts.poll(60, TimeUnit.SECONDS);
        if (answer instanceof Count count) {
            return count;
        }
        if (answer instanceof Throwable failure) {
            throw new IOException("the journal receiver failed", failure);
        }
        throw new IOException("the journal receiver did not answer within 60 s");
    }

    private void drain() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        long datagrams = 0;
        long bytes = 0;
        long records = 0;
        long recordBytes = 0;
        try {
            while (true) {
                packet.setLength(buffer.length);
                socket.receive(packet);
                int length = packet.getLength();
                if (isMarker(buffer, length)) {
                    counts.put(new Count(datagrams, bytes, records, recordBytes));
                    datagrams = bytes = records = recordBytes = 0;
                    continue;
                }
                datagrams++;
                bytes += length;
                if (startsWith(buffer, length, recordPrefix)) {
                    records++;
                    recordBytes += length;
                }
            }
        } catch (SocketException e) {
            if (!socket.isClosed()) {
                counts.offer(e);
            }
        } catch (IOException | RuntimeException e) {
            counts.offer(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isMarker(byte[] buffer, int length) {
        return length == MARKER.length && startsWith(buffer, length, MARKER);
    }

    private static boolean startsWith(byte[] buffer, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Closes the socket, waits (5 s at the most) for the receiving thread to end and
     * removes the socket's path.
     *
     * @throws IOException if the path cannot be removed
     * @throws InterruptedException if interrupted while waiting for the thread (the flag is cleared)
     */
    @Override
    public void close() throws IOException, InterruptedException {
        marker.close();
        socket.close();
        thread.join(5_000); // a daemon: should close not wake its receive, the JVM still ends
        Files.deleteIfExists(path);
    }
}
