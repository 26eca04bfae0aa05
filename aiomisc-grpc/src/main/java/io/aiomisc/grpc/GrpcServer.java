package io.aiomisc.grpc;

import io.aiomisc.net.TlsConfig;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2SecurityUtil;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.util.TransmitStatusRuntimeExceptionInterceptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started grpc-java server of a {@link GrpcService}: the Netty server, its health status, the
 * virtual-thread executor of its calls, and the stop.
 */
final class GrpcServer {
    private static final Logger log = LoggerFactory.getLogger(GrpcService.class);

    /** The services every server serves itself: added by users, they would clash. */
    static final Set<String> BUILT_IN = Set.of(
            HealthGrpc.SERVICE_NAME,
            ServerReflectionGrpc.SERVICE_NAME,
            io.grpc.reflection.v1alpha.ServerReflectionGrpc.SERVICE_NAME);

    /** How long a stop waits for the transports to close once the calls are cancelled. */
    private static final Duration AFTER_CANCEL = Duration.ofSeconds(5);

    /** What {@link GrpcService} was configured with, taken at start. */
    record Settings(
            String name,
            String host,
            int port,
            List<ServerServiceDefinition> services,
            List<ServerInterceptor> interceptors,
            boolean reflection,
            TlsConfig tls,
            int maxConcurrentCalls,
            String compression) {}

    /** {@link GrpcService#configure(ServerBuilder)}. */
    @FunctionalInterface
    interface Hook {
        void configure(ServerBuilder<?> builder) throws Exception;
    }

    private final Server server;
    private final HealthStatusManager health;
    private final HealthWatches watches;
    private final ExecutorService calls;
    private final InetSocketAddress localAddress;
    private final String url; // grpc://host:port, the host as configured, for logs

    private GrpcServer(
            Server server,
            HealthStatusManager health,
            HealthWatches watches,
            ExecutorService calls,
            InetSocketAddress localAddress,
            String url) {
        this.server = server;
        this.health = health;
        this.watches = watches;
        this.calls = calls;
        this.localAddress = localAddress;
        this.url = url;
    }

    /**
     * Builds and starts a server. Nothing is left running or bound when this throws.
     *
     * @throws IOException naming the address when it cannot be bound
     * @throws Exception   what the hook throws
     */
    static GrpcServer start(Settings settings, Hook hook) throws Exception {
        ExecutorService calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("aiomisc-grpc-" + settings.name() + "-", 0)
                // grpc's event-loop threads may carry the inheritable thread-locals of whoever
                // started them: copying those into every call's threads costs each call
                .inheritInheritableThreadLocals(false)
                .factory());
        String what = "grpc://" + hostPort(settings.host(), settings.port());
        Server server = null;
        try {
            HealthStatusManager health = new HealthStatusManager();
            HealthWatches watches = new HealthWatches();
            NettyServerBuilder builder =
                    NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()));
            if (settings.tls() != null) {
                builder.sslContext(sslContext(settings.tls()));
            }
            builder.executor(calls);
            CallLimit limit = settings.maxConcurrentCalls() == Integer.MAX_VALUE
                    ? null
                    : new CallLimit(settings.maxConcurrentCalls());
            for (ServerServiceDefinition service : settings.services()) {
                builder.addService(limit == null ? service : ServerInterceptors.intercept(service, limit));
            }
            builder.addService(ServerInterceptors.intercept(health.getHealthService(), watches));
            if (settings.reflection()) {
                builder.addService(ProtoReflectionServiceV1.newInstance());
                builder.addService(reflectionV1alpha());
            }
            for (ServerInterceptor interceptor : chain(settings)) {
                builder.intercept(interceptor);
            }
            hook.configure(builder);
            server = builder.build();
            health.setStatus("", ServingStatus.SERVING);
            for (ServerServiceDefinition service : settings.services()) {
                health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
            }
            try {
                server.start();
            } catch (IOException e) {
                throw new IOException("cannot listen on " + what + ": " + e.getMessage(), e);
            }
            InetSocketAddress bound = boundAddress(server, settings);
            // the address as configured (as aiomisc logs it: "::1", not "0:0:0:0:0:0:0:1"), the real port
            String url = "grpc://" + hostPort(settings.host(), bound.getPort());
            log.info("Listening {}", url);
            return new GrpcServer(server, health, watches, calls, bound, url);
        } catch (Exception | Error e) {
            if (server != null) {
                server.shutdownNow();
            }
            calls.shutdownNow();
            throw e;
        }
    }

    /**
     * The interceptors in {@code ServerBuilder.intercept} order (it runs the last one added first):
     * the status transmitter outermost, then the user's in the order they were added, then
     * compression.
     */
    private static List<ServerInterceptor> chain(Settings settings) {
        List<ServerInterceptor> firstRunsFirst = new ArrayList<>();
        firstRunsFirst.add(TransmitStatusRuntimeExceptionInterceptor.instance());
        firstRunsFirst.addAll(settings.interceptors());
        if (settings.compression() != null) {
            firstRunsFirst.add(new ResponseCompression(settings.compression()));
        }
        return firstRunsFirst.reversed();
    }

    @SuppressWarnings("deprecation") // v1alpha: what older clients (and many tools) still ask for
    private static io.grpc.BindableService reflectionV1alpha() {
        return ProtoReflectionService.newInstance();
    }

    /** Netty's TLS on the config's own {@link javax.net.ssl.SSLContext}, with ALPN offering h2. */
    private static SslContext sslContext(TlsConfig tls) {
        String[] ciphers = tls.ciphers();
        return new JdkSslContext(
                tls.sslContext(),
                false,
                ciphers.length == 0 ? Http2SecurityUtil.CIPHERS : List.of(ciphers),
                ciphers.length == 0 ? SupportedCipherSuiteFilter.INSTANCE : IdentityCipherSuiteFilter.INSTANCE,
                new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2),
                tls.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.NONE,
                tls.protocols(),
                false);
    }

    private static InetSocketAddress boundAddress(Server server, Settings settings) {
        for (SocketAddress address : server.getListenSockets()) {
            if (address instanceof InetSocketAddress inet) {
                return inet;
            }
        }
        return new InetSocketAddress(settings.host(), server.getPort());
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The bound address (the real port when 0 was asked for). */
    InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Stops: health to {@code NOT_SERVING}, watches closed, no new calls; calls in flight may
     * finish within {@code grace}, then the rest are cancelled and their threads interrupted.
     * Blocks until the server has terminated. A pending interrupt does not skip the graceful wait;
     * one during it ends the wait early, and the interrupt status is set again on return.
     */
    void stop(Duration grace) {
        boolean interrupted = Thread.interrupted();
        try {
            health.enterTerminalState();
            watches.closeAll();
            server.shutdown();
            boolean terminated = false;
            try {
                terminated = server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
                if (!terminated) {
                    log.warn("{}: calls still running after the graceful stop time ({}) were cancelled", url, grace);
                }
            } catch (InterruptedException e) {
                interrupted = true; // the graceful wait ended early: cancel the rest all the same
            }
            if (!terminated) {
                // the executor stays open until the transports are closed: the cancellation hands the
                // calls' callbacks to it, and a rejected one aborts the forceful close on the event
                // loop, leaving the streams (and the server) open; the finally block interrupts the
                // handlers once the server has terminated
                server.shutdownNow();
                interrupted |= awaitTermination(AFTER_CANCEL);
            }
        } finally {
            calls.shutdownNow();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the server to terminate, at most {@code timeout}; true if interrupted meanwhile. */
    private boolean awaitTermination(Duration timeout) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }
}
