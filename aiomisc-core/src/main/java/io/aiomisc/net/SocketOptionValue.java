package io.aiomisc.net;

import java.net.SocketOption;
import java.util.Objects;

/**
 * A socket option and its value, for {@link Sockets#bindSocket} and the services' options
 * (aiomisc's {@code (level, option, value)} triples).
 *
 * <pre>{@code SocketOptionValue.of(StandardSocketOptions.SO_RCVBUF, 1 << 20)}</pre>
 *
 * @param option the option, e.g. {@link java.net.StandardSocketOptions#SO_RCVBUF}
 * @param value  its value
 * @param <T>    the option's value type
 */
public record SocketOptionValue<T>(SocketOption<T> option, T value) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code option} or {@code value} is null
     */
    public SocketOptionValue {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The option set to {@code value}.
     *
     * @param option the option
     * @param value  its value
     * @param <T>    the option's value type
     * @return a new option value
     * @throws NullPointerException if {@code option} or {@code value} is null
     */
    public static <T> SocketOptionValue<T> of(SocketOption<T> option, T value) {
        return new SocketOptionValue<>(option, value);
    }
}
