package io.aiomisc.benchmarks.net;

import io.aiomisc.Entrypoint;
import io.aiomisc.net.StreamReader;
import io.aiomisc.net.StreamWriter;
import io.aiomisc.net.TcpServer;
import java.io.IOException;

/**
 * The aiomisc side of the TCP echo comparison ({@code aiomisc-benchmarks/echo-bench}): an entrypoint
 * running one {@link TcpServer} that echoes every byte it reads (up to 64 KiB per read) until the
 * client closes, written the way the {@code TcpServer} Javadoc shows it.
 *
 * <p>Usage: {@code AiomiscEchoServer [PORT [DEDICATED_THREADS]]} (port 0, the default: an ephemeral
 * port; dedicated threads: the server's default, one per CPU, unless given; 0: virtual threads only). Listens on 127.0.0.1,
 * prints {@code READY <port>} on stdout once listening, and runs until SIGTERM/SIGINT, which the
 * entrypoint turns into a graceful stop.
 */
public final class AiomiscEchoServer {
    /** The echo handler: read up to 64 KiB, write it back, until end of stream. */
    static final class Echo extends TcpServer {
        private final int dedicatedThreads;

        Echo(String address, int port) {
            this(address, port, -1);
        }

        /** @param dedicatedThreads the server's {@link #dedicatedThreads()}, or -1 for its default */
        Echo(String address, int port, int dedicatedThreads) {
            super(address, port);
            this.dedicatedThreads = dedicatedThreads;
        }

        @Override
        protected int dedicatedThreads() {
            return dedicatedThreads < 0 ? super.dedicatedThreads() : dedicatedThreads;
        }

        @Override
        protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
            for (byte[] data = reader.read(65536); data.length > 0; data = reader.read(65536)) {
                writer.write(data);
            }
        }
    }

    private AiomiscEchoServer() {}

    /** Starts the echo server in an entrypoint; returns the running entrypoint (the server is listening). */
    static Entrypoint start(Echo server) throws Exception {
        return Entrypoint.builder().services(server).logConfig(false).start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int dedicated = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        Echo server = new Echo("127.0.0.1", port, dedicated);
        Entrypoint entrypoint = start(server);
        System.out.println("READY " + server.localAddress().getPort());
        System.out.flush();
        entrypoint.runForever();
    }
}
