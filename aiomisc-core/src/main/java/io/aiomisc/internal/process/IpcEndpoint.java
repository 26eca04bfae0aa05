package io.aiomisc.internal.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent's listening socket: a Unix-domain socket in a fresh private directory (mode 0700, so
 * only this user can even connect), or a loopback TCP port where Unix-domain sockets are missing
 * or the temporary directory's path is too long for one. Closing it removes the socket file and
 * the directory.
 */
public final class IpcEndpoint implements AutoCloseable {
    /** Longest socket path the kernel takes (sun_path is 108 bytes on Linux, 104 on BSDs). */
    private static final int MAX_UNIX_PATH = 100;

    /**
     * Directories of open endpoints, removed by a shutdown hook if the JVM exits before they close.
     * A holder: a child only ever calls {@link #connect}, and must not pay for the hook's lambda.
     */
    private static final class LeftAtExit {
        static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                for (Path directory : DIRECTORIES) {
                                    deleteQuietly(directory.resolve("ipc.sock"));
                                    deleteQuietly(directory);
                                }
                            },
                            "aiomisc-global-ipc-cleanup"));
        }
    }

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final Path directory; // null for TCP

    private IpcEndpoint(ServerSocketChannel server, SocketAddress address, Path directory) {
        this.server = server;
        this.address = address;
        this.directory = directory;
    }

    /**
     * Opens an endpoint.
     *
     * @param unix false to use loopback TCP even where Unix-domain sockets work
     * @throws IOException when no socket can be bound
     */
    public static IpcEndpoint open(boolean unix) throws IOException {
        if (unix) {
            IpcEndpoint endpoint = openUnix();
            if (endpoint != null) {
                return endpoint;
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            return new IpcEndpoint(server, server.getLocalAddress(), null);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static IpcEndpoint openUnix() throws IOException {
        ServerSocketChannel server;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        Path directory = null;
        try {
            directory = privateDirectory();
            if (directory == null || directory.resolve("ipc.sock").toString().length() > MAX_UNIX_PATH) {
                server.close();
                deleteQuietly(directory);
                return null;
            }
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(directory.resolve("ipc.sock"));
            server.bind(address, 64);
            LeftAtExit.DIRECTORIES.add(directory);
            return new IpcEndpoint(server, address, directory);
        } catch (IOException | RuntimeException e) {
            server.close();
            deleteQuietly(directory);
            throw e;
        }
    }

    private static Path privateDirectory() throws IOException {
        try {
            return Files.createTempDirectory(
                    "aiomisc-ipc-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return null; // no POSIX permissions here: a socket file there would be open to everyone
        }
    }

    /** Whether the endpoint still accepts connections. */
    public boolean isOpen() {
        return server.isOpen();
    }

    /** The address children connect to. */
    public SocketAddress address() {
        return address;
    }

    /** The address as the child's bootstrap carries it: {@code unix:<path>} or {@code tcp:<host>:<port>}. */
    public String addressString() {
        if (address instanceof UnixDomainSocketAddress unixAddress) {
            return "unix:" + unixAddress.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }

    /** Connects to an address made by {@link #addressString()} (the child's side). */
    public static SocketChannel connect(String address) throws IOException {
        if (address.startsWith("unix:")) {
            return SocketChannel.open(UnixDomainSocketAddress.of(address.substring(5)));
        }
        if (address.startsWith("tcp:")) {
            int colon = address.lastIndexOf(':');
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(
                    InetAddress.getByName(address.substring(4, colon)),
                    Integer.parseInt(address.substring(colon + 1))));
            channel.socket().setTcpNoDelay(true);
            return channel;
        }
        throw new IOException("unknown IPC address: " + address);
    }

    /**
     * Waits for the next connection. Blocks; closing the endpoint makes it throw
     * {@link java.nio.channels.AsynchronousCloseException}.
     */
    public SocketChannel accept() throws IOException {
        SocketChannel channel = server.accept();
        if (directory == null) {
            channel.socket().setTcpNoDelay(true);
        }
        return channel;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing more to release
        }
        if (directory != null) {
            deleteQuietly(((UnixDomainSocketAddress) address).getPath());
            deleteQuietly(directory);
            LeftAtExit.DIRECTORIES.remove(directory);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left behind: the temporary directory's cleaner will find it
        }
    }
}
