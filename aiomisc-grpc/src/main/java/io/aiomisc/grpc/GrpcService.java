package io.aiomisc.grpc;

import io.aiomisc.Service;
import io.aiomisc.net.Sockets;
import io.aiomisc.net.TlsConfig;
import io.grpc.BindableService;
import io.grpc.CompressorRegistry;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A gRPC server on grpc-java: aiomisc's {@code GRPCService}. Add the services (generated
 * {@code *ImplBase} classes or {@link ServerServiceDefinition}s) before the entrypoint starts it:
 *
 * <pre>{@code
 * GrpcService grpc = new GrpcService("0.0.0.0", 50051)
 *         .addService(new GreeterImpl())
 *         .reflection(true);
 * try (Entrypoint ep = Entrypoint.builder().services(grpc).start()) {
 *     ep.runForever();
 * }
 * }</pre>
 *
 * <p><b>Calls</b> run on virtual threads (one per callback, as grpc-java hands them to its
 * executor), so a handler may block: call a database, sleep, wait for another service. A handler
 * that throws a {@link io.grpc.StatusRuntimeException} answers the call with that status;
 * grpc-java alone would turn it into {@code UNKNOWN}. Any other exception (a checked
 * {@link io.grpc.StatusException} thrown sneakily included) still gives {@code UNKNOWN}; to answer
 * with a status without throwing, pass it to the response observer's {@code onError}.
 *
 * <p><b>Always served</b>: the standard health service {@code grpc.health.v1.Health}, for the
 * server (service name {@code ""}) and for each added service: {@code SERVING} while the server
 * runs, {@code NOT_SERVING} from the moment its stop begins (a {@code Watch} stream gets
 * {@code NOT_SERVING} and is then closed with {@code UNAVAILABLE}, so that it does not hold the
 * graceful stop). With {@link #reflection(boolean) reflection(true)} also
 * {@code grpc.reflection.v1.ServerReflection} and {@code grpc.reflection.v1alpha.ServerReflection},
 * which tools like grpcurl use. A server with no service of its own still starts and serves these:
 * a probe endpoint.
 *
 * <p><b>Port 0</b> binds any free port; {@link #localAddress()} tells which. The start logs
 * {@code Listening grpc://host:port} at INFO.
 *
 * <p><b>Stop</b> is graceful: the server stops accepting calls, lets calls in flight finish within
 * {@link #gracefulStopTime()} (60 s, aiomisc's {@code GRACEFUL_STOP_TIME}), then cancels the rest
 * ({@code shutdownNow()}) and interrupts their handlers' threads. Mind the entrypoint's own
 * {@code shutdownTimeout}: a stop that takes longer than it is reported as timed out.
 *
 * <p><b>Configuration</b> ({@code addService}, {@link #interceptor}, {@link #reflection},
 * {@link #tls}, {@link #maxConcurrentCalls}, {@link #compression}) returns {@code this} and must
 * happen before the first start: afterwards it throws {@link IllegalStateException}. Stopped, the
 * service may be started again with the same configuration.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public class GrpcService extends Service {
    /** Default {@link #gracefulStopTime()}: 60 s, aiomisc's {@code GRACEFUL_STOP_TIME}. */
    public static final Duration DEFAULT_GRACEFUL_STOP_TIME = Duration.ofSeconds(60);

    private final String address;
    private final int port;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private boolean reflection;
    private TlsConfig tls;
    private int maxConcurrentCalls = Integer.MAX_VALUE;
    private String compression;
    private boolean configured; // true once start() has taken the configuration
    private GrpcServer server;

    /**
     * A server that will listen on {@code address:port}.
     *
     * @param address the host name or IP address to bind, e.g. {@code "0.0.0.0"}, {@code "::1"}
     * @param port    the port, 0 for any free one
     * @throws IllegalArgumentException naming the port unless it is in 0..65535, or if the address
     *                                  is blank
     * @throws NullPointerException     if {@code address} is null
     */
    public GrpcService(String address, int port) {
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address must be a host name or an IP address, not blank");
        }
        this.address = address;
        this.port = Sockets.checkPort(port);
    }

    /**
     * Serves {@code service}, e.g. an instance of a generated {@code GreeterGrpc.GreeterImplBase}.
     *
     * @param service the implementation
     * @return this
     * @throws IllegalArgumentException if a service of the same name was added already, or the name
     *                                  is one this server serves itself (health, reflection)
     * @throws IllegalStateException    after the first start
     * @throws NullPointerException     if {@code service} is null
     */
    public GrpcService addService(BindableService service) {
        Objects.requireNonNull(service, "service");
        return addService(Objects.requireNonNull(service.bindService(), "bindService() returned null"));
    }

    /**
     * Serves {@code service}: a definition built by hand or wrapped in per-service interceptors
     * ({@code ServerInterceptors.intercept(...)}).
     *
     * @param service the service definition
     * @return this
     * @throws IllegalArgumentException if a service of the same name was added already, or the name
     *                                  is one this server serves itself (health, reflection)
     * @throws IllegalStateException    after the first start
     * @throws NullPointerException     if {@code service} is null
     */
    public GrpcService addService(ServerServiceDefinition service) {
        Objects.requireNonNull(service, "service");
        String name = service.getServiceDescriptor().getName();
        if (GrpcServer.BUILT_IN.contains(name)) {
            throw new IllegalArgumentException(
                    "service " + name + " is served by GrpcService itself (health always, reflection when on)");
        }
        return change("addService", () -> {
            for (ServerServiceDefinition added : services) {
                if (added.getServiceDescriptor().getName().equals(name)) {
                    throw new IllegalArgumentException("a service named " + name + " was added already");
                }
            }
            services.add(service);
        });
    }

    /**
     * Runs {@code interceptor} for every call of the server, health and reflection included.
     * Interceptors run in the order they were added: the first one added sees each call first
     * (as in aiomisc; grpc-java's {@code ServerBuilder.intercept} runs them the other way round).
     *
     * @param interceptor the interceptor
     * @return this
     * @throws IllegalStateException after the first start
     * @throws NullPointerException  if {@code interceptor} is null
     */
    public GrpcService interceptor(ServerInterceptor interceptor) {
        Objects.requireNonNull(interceptor, "interceptor");
        return change("interceptor", () -> interceptors.add(interceptor));
    }

    /**
     * Serves (or not) gRPC server reflection, {@code grpc.reflection.v1} and {@code v1alpha}:
     * aiomisc's {@code reflection=True}. Default off.
     *
     * @param enabled whether to serve reflection
     * @return this
     * @throws IllegalStateException after the first start
     */
    public GrpcService reflection(boolean enabled) {
        return change("reflection", () -> reflection = enabled);
    }

    /**
     * Serves over TLS (HTTP/2 over TLS with ALPN) with {@code tls}'s certificate and key; with
     * {@code requireClientCert(true)} and a CA, clients must present a certificate the CA signed
     * (mutual TLS). Default: plaintext HTTP/2.
     *
     * @param tls the TLS configuration; it must have a certificate and a key
     * @return this
     * @throws IllegalArgumentException if {@code tls} has no certificate or key
     * @throws IllegalStateException    after the first start
     * @throws NullPointerException     if {@code tls} is null
     */
    public GrpcService tls(TlsConfig tls) {
        Objects.requireNonNull(tls, "tls");
        if (!tls.hasCertificate()) {
            throw new IllegalArgumentException("a gRPC server's TlsConfig needs a certificate and a key: " + tls);
        }
        return change("tls", () -> this.tls = tls);
    }

    /**
     * The most calls of the added services that may run at once; a call beyond it fails at once
     * with {@code RESOURCE_EXHAUSTED} (grpcio's {@code maximum_concurrent_rpcs}). Health and
     * reflection are not counted, so probes still answer under load. Default: no limit.
     *
     * <p>A call holds its slot until it completes or is cancelled; grpc-java reports a cancellation
     * to a call only after its handler has returned, so a handler that blocks should give up when
     * {@code io.grpc.Context.current().isCancelled()} (or its deadline passes) to free the slot.
     *
     * @param max the limit, at least 1
     * @return this
     * @throws IllegalArgumentException naming the value if it is below 1
     * @throws IllegalStateException    after the first start
     */
    public GrpcService maxConcurrentCalls(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be at least 1: " + max);
        }
        return change("maxConcurrentCalls", () -> maxConcurrentCalls = max);
    }

    /**
     * Compresses responses with {@code encoding} when the client accepts it (its
     * {@code grpc-accept-encoding}); others get them uncompressed. Requests are decompressed
     * whatever this says. Default: no compression ({@code identity}).
     *
     * @param encoding a compressor grpc-java knows: {@code "gzip"} or {@code "identity"}
     * @return this
     * @throws IllegalArgumentException naming the encoding if grpc-java has no compressor for it
     * @throws IllegalStateException    after the first start
     * @throws NullPointerException     if {@code encoding} is null
     */
    public GrpcService compression(String encoding) {
        Objects.requireNonNull(encoding, "encoding");
        if (CompressorRegistry.getDefaultInstance().lookupCompressor(encoding) == null) {
            throw new IllegalArgumentException(
                    "compression: grpc-java has no compressor named '" + encoding + "' (known: gzip, identity)");
        }
        return change("compression", () -> compression = encoding);
    }

    /**
     * How long a stop lets calls in flight finish before cancelling them. Default
     * {@link #DEFAULT_GRACEFUL_STOP_TIME}.
     *
     * @return a positive duration
     */
    protected Duration gracefulStopTime() {
        return DEFAULT_GRACEFUL_STOP_TIME;
    }

    /**
     * A hook for grpc-java settings this class has no method for (message size limits, keep-alive,
     * handshake timeout...): called at each start with the builder, after this service's own
     * settings and before the server is built. Do not set the executor or add services here; use
     * this class's methods. The default does nothing.
     *
     * @param builder the builder of the server about to start
     * @throws Exception to fail the start
     */
    protected void configure(ServerBuilder<?> builder) throws Exception {}

    /**
     * Binds and starts the server; returns once it accepts calls. Blocks while it binds.
     *
     * @throws java.io.IOException naming the address and port when they cannot be bound (nothing is
     *                             left bound or running)
     * @throws IllegalStateException if the server is running already
     * @throws Exception           what {@link #configure(ServerBuilder)} throws
     */
    @Override
    public void start() throws Exception {
        String name = name(); // user code: never under the lock
        GrpcServer.Settings settings;
        lock.lock();
        try {
            if (server != null) {
                throw new IllegalStateException(name + " is running already");
            }
            configured = true;
            settings = new GrpcServer.Settings(
                    name,
                    address,
                    port,
                    List.copyOf(services),
                    List.copyOf(interceptors),
                    reflection,
                    tls,
                    maxConcurrentCalls,
                    compression);
        } finally {
            lock.unlock();
        }
        // the hook is user code: it runs without the lock
        GrpcServer started = GrpcServer.start(settings, this::configure);
        lock.lock();
        try {
            server = started;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops gracefully (see the class description). Blocks until the server has terminated: at
     * most about {@link #gracefulStopTime()}, then a moment for the cancelled calls. Interrupting
     * the calling thread ends the graceful wait early (calls in flight are cancelled); the server
     * still closes completely and the interrupt status is set again.
     */
    @Override
    public void stop(Throwable exception) throws Exception {
        GrpcServer running;
        lock.lock();
        try {
            running = server;
            server = null;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.stop(gracefulStopTime());
        }
    }

    /**
     * The address the server listens on.
     *
     * @return the bound address, with the real port when 0 was asked for
     * @throws IllegalStateException when the service is not running
     */
    public InetSocketAddress localAddress() {
        GrpcServer running;
        lock.lock();
        try {
            running = server;
        } finally {
            lock.unlock();
        }
        if (running == null) {
            throw new IllegalStateException(name() + " is not running: it has no address");
        }
        return running.localAddress();
    }

    private GrpcService change(String setting, Runnable change) {
        boolean started;
        lock.lock();
        try {
            started = configured;
            if (!started) {
                change.run();
            }
        } finally {
            lock.unlock();
        }
        if (started) { // name() is user code: never under the lock
            throw new IllegalStateException(
                    setting + "(...) must be called before " + name() + " starts; it has started already");
        }
        return this;
    }
}
