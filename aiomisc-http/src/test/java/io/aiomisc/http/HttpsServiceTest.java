package io.aiomisc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.net.TlsConfig;
import io.aiomisc.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
@AiomiscTest
class HttpsServiceTest {
    @TempDir
    static Path dir;

    private static TestPki pki;

    @BeforeAll
    static void generate() {
        pki = TestPki.create(dir);
    }

    /** Answers with the protocol the request came over, e.g. {@code HTTP/2.0}. */
    private static Handler protocolEcho() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(
                        response,
                        true,
                        "hello " + request.getConnectionMetaData().getProtocol() + " "
                                + request.getHttpURI().getScheme(),
                        callback);
                return true;
            }
        };
    }

    private static HttpResponse<String> get(HttpsService service, SSLContext ssl, HttpClient.Version version)
            throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(ssl)
                .version(version)
                .connectTimeout(Duration.ofSeconds(20))
                .build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                                    + service.localAddress().getPort() + "/hello"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static SSLContext trustingCa() {
        return pki.trustingCa().clientSslContext();
    }

    @Test
    void http2IsNegotiatedByAlpnWithAClientTrustingTheCa(Entrypoint entrypoint) throws Exception {
        HttpsService service =
                HttpsService.create("127.0.0.1", 0, pki.server.presenting().build(), protocolEcho());
        entrypoint.startServices(service);
        HttpResponse<String> response = get(service, trustingCa(), HttpClient.Version.HTTP_2);
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals("hello HTTP/2.0 https", response.body());
    }

    @Test
    void anHttp11OnlyClientIsServedToo(Entrypoint entrypoint) throws Exception {
        HttpsService service =
                HttpsService.create("127.0.0.1", 0, pki.server.presenting().build(), protocolEcho());
        entrypoint.startServices(service);
        HttpResponse<String> response = get(service, trustingCa(), HttpClient.Version.HTTP_1_1);
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        assertEquals("hello HTTP/1.1 https", response.body());
    }

    @Test
    void aSubclassServesItsHandlerOverTls(Entrypoint entrypoint) throws Exception {
        HttpsService service =
                new HttpsService("127.0.0.1", 0, pki.server.presenting().build()) {
                    @Override
                    protected Handler createHandler() {
                        return protocolEcho();
                    }
                };
        entrypoint.startServices(service);
        HttpResponse<String> response = get(service, trustingCa(), HttpClient.Version.HTTP_2);
        assertEquals(200, response.statusCode());
        assertEquals("hello HTTP/2.0 https", response.body());
    }

    @Test
    void aRequiredClientCertificateMustBePresentAndSignedByTheCa(Entrypoint entrypoint) throws Exception {
        TlsConfig tls =
                pki.server.presenting().ca(pki.caCert).requireClientCert(true).build();
        HttpsService service = HttpsService.create("127.0.0.1", 0, tls, protocolEcho());
        entrypoint.startServices(service);
        assertThrows(IOException.class, () -> get(service, trustingCa(), HttpClient.Version.HTTP_1_1));
        SSLContext stranger = pki.stranger.presenting().ca(pki.caCert).build().clientSslContext();
        assertThrows(IOException.class, () -> get(service, stranger, HttpClient.Version.HTTP_1_1));

        SSLContext signed = pki.client.presenting().ca(pki.caCert).build().clientSslContext();
        HttpResponse<String> response = get(service, signed, HttpClient.Version.HTTP_2);
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
    }

    @Test
    void aTlsConfigWithoutACertificateIsRejectedAtConstruction() {
        TlsConfig clientOnly = pki.trustingCa();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HttpsService.create("127.0.0.1", 0, clientOnly, protocolEcho()));
        assertTrue(e.getMessage().contains("certificate"), e.getMessage());
    }

    @Test
    void aPortOutOfRangeIsRejectedNamingIt() {
        TlsConfig tls = pki.server.presenting().build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HttpsService.create("127.0.0.1", 65536, tls, protocolEcho()));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }
}
