package io.aiomisc.http;

import io.aiomisc.net.TlsConfig;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;

/**
 * {@link HttpService} over TLS, with HTTP/2 and HTTP/1.1 negotiated by ALPN (the JDK's). The
 * certificate and key come from a {@link TlsConfig}; with {@code requireClientCert(true)} clients
 * must present a certificate the config's CA signed.
 */
public abstract class HttpsService extends HttpService {
    private final TlsConfig tls;

    /**
     * A service that will listen on {@code address:port} over TLS.
     *
     * @param address the address to bind
     * @param port    the port, 0 for any free one
     * @param tls     the certificate and key (a server needs both)
     * @throws IllegalArgumentException naming the port unless it is in 0..65535, or if {@code tls}
     *                                  has no certificate
     * @throws NullPointerException     if {@code address} or {@code tls} is null
     */
    protected HttpsService(String address, int port, TlsConfig tls) {
        super(address, port);
        this.tls = Objects.requireNonNull(tls, "tls");
        if (!tls.hasCertificate()) {
            throw new IllegalArgumentException("tls: an HTTPS server needs a certificate and a key");
        }
    }

    /**
     * A service serving {@code handler} over TLS.
     *
     * @param address the address to bind
     * @param port    the port, 0 for any free one
     * @param tls     the certificate and key
     * @param handler the handler of every request
     * @return a new service
     */
    public static HttpsService create(String address, int port, TlsConfig tls, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return new HttpsService(address, port, tls) {
            @Override
            protected Handler createHandler() {
                return handler;
            }
        };
    }

    @Override
    TlsConfig tls() {
        return tls;
    }
}
