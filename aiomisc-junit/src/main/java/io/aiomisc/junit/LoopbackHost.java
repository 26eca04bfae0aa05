package io.aiomisc.junit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The {@link Localhost} address: the first of 127.0.0.1 and ::1 this host can bind, found once. */
final class LoopbackHost {
    private static final String HOST = find();

    private LoopbackHost() {}

    /**
     * @throws IllegalStateException if neither address can be bound
     */
    static String get() {
        if (HOST == null) {
            throw new IllegalStateException("localhost unavailable: neither 127.0.0.1 nor ::1 can be bound");
        }
        return HOST;
    }

    private static String find() {
        for (String candidate : new String[] {"127.0.0.1", "::1"}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(candidate, 0));
                return candidate;
            } catch (IOException e) {
                // try the next one
            }
        }
        return null;
    }
}
