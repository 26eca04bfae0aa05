package io.aiomisc.http;

import java.util.Objects;

/** The checks every service of this package makes at construction. */
final class Ports {
    private Ports() {}

    /**
     * @return {@code port}
     * @throws IllegalArgumentException naming the port unless it is in 0..65535
     */
    static int require(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535 (0: any free port): " + port);
        }
        return port;
    }

    /**
     * @return {@code address}
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it is blank
     */
    static String requireAddress(String address) {
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address must be a host name or an IP address, not blank");
        }
        return address;
    }
}
