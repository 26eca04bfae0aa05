package io.aiomisc.benchmarks.http;

import io.aiomisc.Entrypoint;
import io.aiomisc.http.HttpService;

/**
 * The aiomisc side of the HTTP comparison ({@code aiomisc-benchmarks/http-bench}): an entrypoint
 * running one {@link HttpService} that serves {@link Hello}'s handler, written the way the
 * {@code HttpService} Javadoc shows it (its access log stays at the benchmark module's root level,
 * WARN, so each request costs a level check, as for a user who silenced it).
 *
 * <p>Usage: {@code AiomiscHttpServer PORT blocking|nonblocking} (port 0: an ephemeral port). Listens on
 * 127.0.0.1, prints {@code READY <port>} on stdout once listening, and runs until SIGTERM/SIGINT,
 * which the entrypoint turns into a graceful stop.
 */
public final class AiomiscHttpServer {
    private AiomiscHttpServer() {}

    public static void main(String[] args) throws Exception {
        int port = Hello.port(args);
        Hello.Mode mode = Hello.Mode.parse(args[1]);
        HttpService service = HttpService.create("127.0.0.1", port, Hello.handler(mode));
        Entrypoint entrypoint =
                Entrypoint.builder().services(service).logConfig(false).start();
        System.out.println("READY " + service.localAddress().getPort());
        System.out.flush();
        entrypoint.runForever();
    }
}
