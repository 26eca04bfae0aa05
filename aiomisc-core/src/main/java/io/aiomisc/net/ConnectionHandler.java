package io.aiomisc.net;

/**
 * Talks over one connection: the body of {@link TcpServer#handleClient} or
 * {@link TcpClient#handleConnection} as a lambda, for the {@code create(...)} factories.
 *
 * <pre>{@code
 * TcpServer echo = TcpServer.create("127.0.0.1", 8899, (reader, writer) -> {
 *     for (byte[] line; (line = reader.readLine()).length > 0; ) {
 *         writer.write(line);
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Handles the connection; when it returns the writer is flushed and the connection closed.
     *
     * @param reader reads what the peer sends
     * @param writer writes to the peer
     * @throws Exception anything; the service logs it with the peer's address
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
