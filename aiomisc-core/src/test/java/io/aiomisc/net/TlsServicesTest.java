package io.aiomisc.net;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.net.TestCertificates.KeyEncoding;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS servers and clients as services, with a PKI generated for the class. */
class TlsServicesTest {
    @TempDir
    static Path dir;

    private static TestCertificates pki;

    @BeforeAll
    static void generatePki() {
        pki = TestCertificates.create(dir);
    }

    private static TlsConfig serverTls(boolean requireClientCert) {
        TlsConfig.Builder builder = pki.server.serving();
        if (requireClientCert) {
            builder.ca(pki.caCert).requireClientCert(true);
        }
        return builder.build();
    }

    private static TlsConfig clientTls(boolean withCertificate) {
        TlsConfig.Builder builder = pki.trustingCa();
        if (withCertificate) {
            builder.cert(pki.client.chain()).key(pki.client.key(KeyEncoding.PKCS8));
        }
        return builder.build();
    }

    static final class TlsEcho extends TlsServer {
        TlsEcho(TlsConfig tls) {
            super("127.0.0.1", 0, tls);
        }

        @Override
        protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
            for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
                writer.write(line);
                writer.drain();
            }
        }
    }

    /** Sends one line and records the answer, or the failure. */
    static final class OneShot extends TlsClient {
        final List<String> outcome = new CopyOnWriteArrayList<>();

        OneShot(String host, InetSocketAddress server, TlsConfig tls) {
            super(host, server.getPort(), tls);
        }

        @Override
        protected void handleConnection(StreamReader reader, StreamWriter writer) throws IOException {
            writer.write("secret\n".getBytes(StandardCharsets.UTF_8));
            writer.drain();
            outcome.add(new String(reader.readLine(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void tlsEchoWithoutClientCertificates() throws Exception {
        TlsEcho server = new TlsEcho(serverTls(false));
        try (Entrypoint ep = builder().services(server).start()) {
            OneShot client = new OneShot("localhost", server.localAddress(), clientTls(false));
            try (Entrypoint clients = builder().services(client).start()) {
                Awaitility.await().until(() -> client.outcome.contains("secret\n"));
            }
        }
    }

    @Test
    void mutualTlsAcceptsACertifiedClientAndRejectsAnAnonymousOne() throws Exception {
        TlsEcho server = new TlsEcho(serverTls(true));
        try (Entrypoint ep = builder().services(server).start()) {
            OneShot certified = new OneShot("localhost", server.localAddress(), clientTls(true));
            try (Entrypoint clients = builder().services(certified).start()) {
                Awaitility.await().until(() -> certified.outcome.contains("secret\n"));
            }
            List<Object> anonymousOutcome = new CopyOnWriteArrayList<>();
            TlsClient anonymous =
                    new TlsClient("localhost", server.localAddress().getPort(), clientTls(false)) {
                        @Override
                        protected void handleConnection(StreamReader reader, StreamWriter writer) {
                            try {
                                writer.write("secret\n".getBytes(StandardCharsets.UTF_8));
                                writer.drain();
                                // TLS 1.3: the server's rejection arrives with the first read
                                anonymousOutcome.add(new String(reader.readLine(), StandardCharsets.UTF_8));
                            } catch (IOException e) {
                                anonymousOutcome.add(e);
                            }
                        }
                    };
            try (Entrypoint clients = builder().services(anonymous).start()) {
                Awaitility.await().until(() -> !anonymousOutcome.isEmpty());
            } catch (IOException handshakeRejected) { // TLS 1.2: the rejection arrives during the handshake
                anonymousOutcome.add(handshakeRejected);
            }
            Object outcome = anonymousOutcome.get(0);
            assertTrue(
                    outcome instanceof SSLException
                            || outcome instanceof java.net.SocketException
                            || "".equals(outcome),
                    "the server must not serve an anonymous client: " + outcome);
        }
    }

    @Test
    void aVerifyingClientRejectsAServerWhoseCertificateIsForAnotherName() throws Exception {
        TlsConfig wrong = pki.wrongServer.serving().build();
        TlsEcho server = new TlsEcho(wrong);
        try (Entrypoint ep = builder().services(server).start()) {
            OneShot client = new OneShot("localhost", server.localAddress(), clientTls(false));
            IOException thrown = assertThrows(
                    IOException.class, () -> builder().services(client).start());
            assertTrue(thrown instanceof SSLException || thrown.getCause() instanceof SSLException, thrown.toString());
            assertEquals(List.of(), client.outcome);
            OneShot trusting = new OneShot(
                    "localhost",
                    server.localAddress(),
                    TlsConfig.builder().verify(false).build());
            try (Entrypoint clients = builder().services(trusting).start()) {
                Awaitility.await().until(() -> trusting.outcome.contains("secret\n"));
            }
        }
    }

    @Test
    void robustTlsClientReconnectsOverTls() throws Exception {
        TlsEcho server = new TlsEcho(serverTls(false));
        List<String> greetings = new CopyOnWriteArrayList<>();
        try (Entrypoint ep = builder().services(server).start()) {
            int port = server.localAddress().getPort();
            RobustTlsClient client =
                    new RobustTlsClient(
                            "localhost",
                            port,
                            clientTls(false),
                            ReconnectPolicy.defaults()
                                    .withMinDelay(Duration.ofMillis(20))
                                    .withMaxDelay(Duration.ofMillis(100))) {
                        @Override
                        protected void handleConnection(StreamReader reader, StreamWriter writer) throws IOException {
                            writer.write("hi\n".getBytes(StandardCharsets.UTF_8));
                            writer.drain();
                            greetings.add(new String(reader.readLine(), StandardCharsets.UTF_8));
                            // returning ends this connection: the client reconnects
                        }
                    };
            try (Entrypoint clients = builder().services(client).start()) {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> greetings.size() >= 3);
            }
        }
    }

    @Test
    void aTlsServerNeedsACertificate() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TlsEcho(TlsConfig.builder().ca(pki.caCert).build()));
    }
}
