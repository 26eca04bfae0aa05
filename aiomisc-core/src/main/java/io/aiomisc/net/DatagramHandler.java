package io.aiomisc.net;

import java.net.InetSocketAddress;

/**
 * Handles one datagram: the body of {@link UdpServer#handleDatagram} as a lambda, for
 * {@link UdpServer#create}. {@code server} answers with {@link UdpServer#sendTo}.
 *
 * <pre>{@code
 * UdpServer echo = UdpServer.create("127.0.0.1", 9999, (data, from, server) -> server.sendTo(data, from));
 * }</pre>
 */
@FunctionalInterface
public interface DatagramHandler {
    /**
     * Handles one datagram, on a thread of its own.
     *
     * @param data   the datagram's payload, the handler's to keep
     * @param from   the sender's address, where {@link UdpServer#sendTo} sends an answer
     * @param server the server that received it
     * @throws Exception anything; the server logs it with the sender's address
     */
    void handle(byte[] data, InetSocketAddress from, UdpServer server) throws Exception;
}
