package io.aiomisc.systemd;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Writes each record as one datagram to systemd's journal ({@link JournalFields} says what is in
 * it). The socket is {@code JOURNAL_SOCKET} when that variable is set, else
 * {@value #DEFAULT_SOCKET}.
 *
 * <p><b>Large records.</b> A record too large for one datagram (the socket's send buffer, about
 * 200 KiB by default) goes the way journald accepts for them: written to an unlinked temporary file
 * in {@code /dev/shm} (or {@code /tmp}) whose descriptor is passed with an empty datagram. When
 * even that fails, the record is sent with each field cut to {@value #CUT} bytes and
 * {@value JournalFields#CUT_MARK} at the end of the cut ones.
 *
 * <p><b>No journal.</b> When the socket cannot be reached (at start or later), records go to
 * standard error in the {@code plain} format (the message, then the stack trace) and one warning on
 * standard error says why; the appender tries the socket again at most once a second and says so
 * when the journal answers again. Nothing is lost.
 *
 * <p>Thread-safe: datagrams are sent under a lock; records are encoded before it.
 */
final class JournaldAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** The journal's socket on a systemd machine. */
    static final String DEFAULT_SOCKET = "/run/systemd/journal/socket";
    /** The variable that names another socket (tests, containers). */
    static final String JOURNAL_SOCKET = "JOURNAL_SOCKET";
    /** The length each field is cut to when a record cannot be sent whole. */
    static final int CUT = 48 * 1024;

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * The sockets an appender of this JVM has warned about and not yet seen answer again: logging
     * is often configured twice (before the entrypoint starts, then by it), and the second
     * appender must not warn about the same outage again.
     */
    private static final java.util.Set<Path> OUTAGES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path socketPath;
    private final String identifier;
    private final PrintStream fallback;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private AFUNIXDatagramSocket socket;
    private boolean unreachable;
    private long retryAt;

    JournaldAppender(Path socketPath, String identifier, PrintStream fallback) {
        this.socketPath = socketPath;
        this.identifier = identifier;
        this.fallback = fallback;
    }

    /** The socket from {@code environment}'s {@code JOURNAL_SOCKET}, else the default one. */
    static Path socketPath(Map<String, String> environment) {
        String value = environment.get(JOURNAL_SOCKET);
        return Path.of(value == null || value.isBlank() ? DEFAULT_SOCKET : value);
    }

    @Override
    public void start() {
        lock.lock();
        try {
            connect();
        } finally {
            lock.unlock();
        }
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        lock.lock();
        try {
            closeSocket();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] datagram = JournalFields.encode(event, identifier, caller(event));
        lock.lock();
        try {
            if (socket == null && System.nanoTime() - retryAt >= 0) {
                connect();
            }
            if (socket != null && send(event, datagram)) {
                return;
            }
        } finally {
            lock.unlock();
        }
        plain(event);
    }

    /** The caller: captured at the call (buffered), or found now on the calling thread. */
    private static StackTraceElement caller(ILoggingEvent event) {
        if (!event.hasCallerData() && !Thread.currentThread().getName().equals(event.getThreadName())) {
            return null; // formatted on another thread and not captured: unknown
        }
        StackTraceElement[] data = event.getCallerData();
        return data == null || data.length == 0 ? null : data[0];
    }

    /** Sends {@code datagram} (or its large-record forms); false if the journal is unreachable. */
    private boolean send(ILoggingEvent event, byte[] datagram) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length));
            return true;
        } catch (IOException e) {
            if (!tooLong(e)) {
                lost(e);
                return false;
            }
        }
        try {
            sendThroughFile(datagram);
            return true;
        } catch (IOException e) {
            if (!tooLong(e) && !(e instanceof java.nio.file.FileSystemException)) {
                lost(e);
                return false;
            }
        }
        byte[] cut = JournalFields.encode(event, identifier, caller(event), CUT);
        try {
            socket.send(new DatagramPacket(cut, cut.length));
            return true;
        } catch (IOException e) {
            lost(e);
            return false;
        }
    }

    /** journald's way for large records: an unlinked temporary file's descriptor. */
    private void sendThroughFile(byte[] datagram) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path file = Files.createTempFile(
                Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of("/tmp"), "aiomisc-journal-", ".record");
        try (FileInputStream in = openAndUnlink(file, datagram)) {
            socket.setOutboundFileDescriptors(in.getFD());
            try {
                socket.send(new DatagramPacket(new byte[0], 0));
            } finally {
                socket.setOutboundFileDescriptors((java.io.FileDescriptor[]) null);
            }
        }
    }

    private static FileInputStream openAndUnlink(Path file, byte[] datagram) throws IOException {
        try {
            Files.write(file, datagram);
            FileInputStream in = new FileInputStream(file.toFile());
            Files.delete(file);
            return in;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean tooLong(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("too long") || message.contains("emsgsize") || message.contains("no buffer space");
    }

    /** Connects; on failure notes the outage (one warning) and when to try again. */
    private void connect() {
        try {
            AFUNIXDatagramSocket opened = AFUNIXDatagramSocket.newInstance();
            try {
                opened.connect(AFUNIXSocketAddress.of(socketPath));
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            socket = opened;
            if (unreachable) {
                unreachable = false;
                if (OUTAGES.remove(socketPath)) {
                    fallback.println(
                            "aiomisc-systemd: the journal at " + socketPath + " answers again: records go there");
                }
            }
        } catch (IOException | RuntimeException e) {
            lost(e);
        }
    }

    private void lost(Exception e) {
        closeSocket();
        retryAt = System.nanoTime() + RETRY_NANOS;
        if (!unreachable) {
            unreachable = true;
            if (OUTAGES.add(socketPath)) { // one warning per outage in this JVM, however many appenders
                fallback.println("aiomisc-systemd: the journal at " + socketPath + " cannot be reached ("
                        + e.getMessage() + "): records go to standard error in the plain format until it can");
            }
        }
    }

    private void closeSocket() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /** The {@code plain} format on standard error: the message, then the stack trace. */
    private void plain(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            text.append(System.lineSeparator()).append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        fallback.println(text);
    }
}
