package io.aiomisc.net;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binding sockets: aiomisc's {@code bind_socket}.
 *
 * <pre>{@code
 * ServerSocket server = Sockets.bindSocket("127.0.0.1", 0);   // an ephemeral port
 * ServerSocket dual = Sockets.bindSocket("::", 8080);          // IPv6 and IPv4 on Linux
 * }</pre>
 *
 * <p>{@code SO_REUSEADDR} and (where the platform has it) {@code SO_REUSEPORT} are set, then the
 * given options, then the socket is bound and listens; {@code Listening tcp://host:port} is
 * logged. An IPv6 wildcard ({@code "::"}) accepts IPv4 connections too, as the JDK's sockets are
 * dual-stack.
 */
public final class Sockets {
    private static final Logger log = LoggerFactory.getLogger(Sockets.class);
    /** The listen backlog of {@link #bindSocket}. */
    public static final int BACKLOG = 4096;

    private Sockets() {}

    /**
     * A listening TCP socket on {@code address}:{@code port}, with {@code SO_REUSEPORT} where the
     * platform has it.
     *
     * @param address the address to listen on: a host name, an IP address, {@code "::"} or
     *                {@code "0.0.0.0"} for every interface
     * @param port    0..65535; 0 for an ephemeral port ({@link ServerSocket#getLocalPort()} tells)
     * @param options socket options set before binding
     * @return the bound, listening socket; the caller closes it
     * @throws IOException              if the socket cannot be made, configured or bound
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     * @throws UnknownHostException     if {@code address} cannot be resolved (its message names it)
     * @throws BindException            if the port is taken (the message names host and port)
     */
    public static ServerSocket bindSocket(String address, int port, SocketOptionValue<?>... options)
            throws IOException {
        return bindSocket(address, port, true, options);
    }

    /**
     * As {@link #bindSocket(String, int, SocketOptionValue[])}, choosing {@code SO_REUSEPORT}: with
     * it, several sockets can share a port (and a second bind never fails); without it, binding a
     * port in use fails with {@link BindException}.
     *
     * @param address   the address to listen on
     * @param port      0..65535; 0 for an ephemeral port
     * @param reusePort whether to set {@code SO_REUSEPORT} (where the platform has it)
     * @param options   socket options set before binding
     * @return the bound, listening socket; the caller closes it
     * @throws IOException              if the socket cannot be made, configured or bound: an
     *                                  {@link UnknownHostException} or a {@link BindException}
     *                                  naming the address
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static ServerSocket bindSocket(String address, int port, boolean reusePort, SocketOptionValue<?>... options)
            throws IOException {
        InetSocketAddress endpoint = endpoint(address, port);
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            if (reusePort) {
                setIfSupported(socket, StandardSocketOptions.SO_REUSEPORT, true);
            }
            for (SocketOptionValue<?> option : Objects.requireNonNull(options, "options")) {
                apply(socket, option);
            }
            socket.bind(endpoint, BACKLOG);
        } catch (BindException e) {
            socket.close();
            throw named("tcp", endpoint, e);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        log.info("Listening tcp://{}", format((InetSocketAddress) socket.getLocalSocketAddress()));
        return socket;
    }

    /**
     * A UDP socket bound to {@code address}:{@code port}; with {@code reusePort}, {@code SO_REUSEADDR}
     * and {@code SO_REUSEPORT} are set (aiomisc's default), else a port in use fails.
     *
     * @param address   the address to bind: a host name, an IP address, or a wildcard
     * @param port      0..65535; 0 for an ephemeral port
     * @param reusePort whether to set {@code SO_REUSEADDR} and {@code SO_REUSEPORT}
     * @param options   socket options set before binding
     * @return the bound socket; the caller closes it
     * @throws IOException              if the socket cannot be made, configured or bound: an
     *                                  {@link UnknownHostException} or a {@link BindException}
     *                                  naming the address
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static DatagramSocket bindDatagramSocket(
            String address, int port, boolean reusePort, SocketOptionValue<?>... options) throws IOException {
        InetSocketAddress endpoint = endpoint(address, port);
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.setReuseAddress(reusePort);
            if (reusePort) {
                setIfSupported(socket, StandardSocketOptions.SO_REUSEPORT, true);
            }
            for (SocketOptionValue<?> option : Objects.requireNonNull(options, "options")) {
                apply(socket, option);
            }
            socket.bind(endpoint);
        } catch (BindException e) {
            socket.close();
            throw named("udp", endpoint, e);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        log.info("Listening udp://{}", format((InetSocketAddress) socket.getLocalSocketAddress()));
        return socket;
    }

    /**
     * Checks a port number.
     *
     * @param port the port number to check
     * @return {@code port}
     * @throws IllegalArgumentException naming the port if it is outside 0..65535
     */
    public static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        return port;
    }

    /** Resolves {@code address}:{@code port}; the exception of an unknown host names it. */
    static InetSocketAddress endpoint(String address, int port) throws UnknownHostException {
        Objects.requireNonNull(address, "address");
        checkPort(port);
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            UnknownHostException named =
                    new UnknownHostException("cannot resolve host '" + address + "': " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    /**
     * Formats an address for logs and messages: {@code host:port}, with IPv6 hosts in brackets.
     *
     * @param address a resolved or unresolved address
     * @return {@code host:port} or {@code [v6host]:port}
     */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** {@code e} again, with a message that names the endpoint. */
    private static BindException named(String scheme, InetSocketAddress endpoint, BindException e) {
        BindException named =
                new BindException("cannot bind " + scheme + "://" + format(endpoint) + ": " + e.getMessage());
        named.initCause(e);
        return named;
    }

    private static <T> void apply(ServerSocket socket, SocketOptionValue<T> option) throws IOException {
        socket.setOption(option.option(), option.value());
    }

    private static <T> void apply(DatagramSocket socket, SocketOptionValue<T> option) throws IOException {
        socket.setOption(option.option(), option.value());
    }

    private static <T> void setIfSupported(ServerSocket socket, SocketOption<T> option, T value) throws IOException {
        if (socket.supportedOptions().contains(option)) {
            socket.setOption(option, value);
        } else {
            log.debug("{} is not supported here", option);
        }
    }

    private static <T> void setIfSupported(DatagramSocket socket, SocketOption<T> option, T value) throws IOException {
        if (socket.supportedOptions().contains(option)) {
            socket.setOption(option, value);
        }
    }
}
