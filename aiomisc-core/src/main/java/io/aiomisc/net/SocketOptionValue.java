package io.aiomisc.net;

import java.net.SocketOption;
import java.util.Objects;

/**
 * A socket option and its value, for {@link Sockets#bindSocket} and the services' options
 * (aiomisc's {@code (level, option, value)} triples).
 *
 * <pre>{@code SocketOptionValue.of(StandardSocketOptions.SO_RCVBUF, 1 << 20)}</pre>
 */
public record SocketOptionValue<T>(SocketOption<T> option, T value) {
    public SocketOptionValue {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
    }

    public static <T> SocketOptionValue<T> of(SocketOption<T> option, T value) {
        return new SocketOptionValue<>(option, value);
    }
}
