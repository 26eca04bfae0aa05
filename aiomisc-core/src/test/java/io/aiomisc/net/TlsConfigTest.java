package io.aiomisc.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.aiomisc.net.TestCertificates.Identity;
import io.aiomisc.net.TestCertificates.KeyEncoding;
import io.aiomisc.net.TestCertificates.KeyType;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS over loopback sockets with a PKI generated per class, and every way a configuration is rejected. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsConfigTest {
    private static final byte[] HELLO = "hello over tls".getBytes(StandardCharsets.US_ASCII);
    private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    @TempDir
    static Path dir;

    private static TestCertificates pki;

    @BeforeAll
    static void generatePki() {
        pki = TestCertificates.create(dir);
    }

    // ---- exchanges over loopback

    /**
     * What one side of an exchange saw: the echoed bytes and session, or the failure; the server
     * side also records the SNI names the client sent.
     */
    private record Side(
            List<String> enabledProtocols,
            List<String> enabledCiphers,
            byte[] received,
            String protocol,
            String cipherSuite,
            Principal peer,
            List<String> serverNames,
            Exception failure) {
        Side succeeded() {
            if (failure != null) {
                fail("expected the exchange to succeed", failure);
            }
            assertArrayEquals(HELLO, received);
            return this;
        }

        Exception failed() {
            assertNotNull(
                    failure,
                    "expected a failure, but received "
                            + (received == null ? null : new String(received, StandardCharsets.US_ASCII)));
            return failure;
        }
    }

    private record Exchange(Side server, Side client) {
        Exchange succeeded() {
            client.succeeded();
            server.succeeded();
            return this;
        }
    }

    /**
     * Connects a client to a server over 127.0.0.1: the client writes {@link #HELLO}, the server
     * echoes it, the client reads it back and closes. Both sides are done when this returns.
     */
    private static Exchange exchange(TlsConfig serverConfig, TlsConfig clientConfig, String host) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                Socket clientPlain = new Socket()) {
            listener.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            clientPlain.connect(listener.getLocalSocketAddress(), SOCKET_TIMEOUT_MILLIS);
            clientPlain.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            Socket serverPlain = listener.accept();
            serverPlain.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            CompletableFuture<Side> server = new CompletableFuture<>();
            Thread serverThread = Thread.ofVirtual()
                    .name("tls-test-server")
                    .start(() -> server.complete(serve(serverConfig, serverPlain)));
            Side client = talk(clientConfig, clientPlain, host, listener.getLocalPort());
            assertTrue(serverThread.join(Duration.ofSeconds(20)), "the server side did not finish");
            return new Exchange(server.join(), client);
        }
    }

    private static Side serve(TlsConfig config, Socket plain) {
        List<String> protocols = List.of();
        List<String> ciphers = List.of();
        try (Socket owned = plain;
                SSLSocket tls = config.wrapServer(owned)) {
            protocols = List.of(tls.getEnabledProtocols());
            ciphers = List.of(tls.getEnabledCipherSuites());
            byte[] received = readHello(tls);
            tls.getOutputStream().write(received);
            tls.getOutputStream().flush();
            SSLSession session = tls.getSession();
            try {
                // Waits for the client's close, so that closing here cannot reset its last read.
                tls.getInputStream().read();
            } catch (IOException ignored) {
                // the client went away less politely; the echo is done either way
            }
            List<String> serverNames = ((ExtendedSSLSession) session)
                    .getRequestedServerNames().stream()
                            .map(name -> ((SNIHostName) name).getAsciiName())
                            .toList();
            return new Side(
                    protocols,
                    ciphers,
                    received,
                    session.getProtocol(),
                    session.getCipherSuite(),
                    peer(session),
                    serverNames,
                    null);
        } catch (Exception e) {
            return new Side(protocols, ciphers, null, null, null, null, List.of(), e);
        }
    }

    private static Side talk(TlsConfig config, Socket plain, String host, int port) {
        List<String> protocols = List.of();
        List<String> ciphers = List.of();
        try (SSLSocket tls = config.wrapClient(plain, host, port)) {
            protocols = List.of(tls.getEnabledProtocols());
            ciphers = List.of(tls.getEnabledCipherSuites());
            tls.getOutputStream().write(HELLO);
            tls.getOutputStream().flush();
            byte[] received = readHello(tls);
            SSLSession session = tls.getSession();
            return new Side(
                    protocols,
                    ciphers,
                    received,
                    session.getProtocol(),
                    session.getCipherSuite(),
                    peer(session),
                    List.of(),
                    null);
        } catch (Exception e) {
            return new Side(protocols, ciphers, null, null, null, null, List.of(), e);
        }
    }

    private static byte[] readHello(SSLSocket tls) throws IOException {
        byte[] received = tls.getInputStream().readNBytes(HELLO.length);
        if (received.length < HELLO.length) {
            throw new EOFException("the peer closed after " + received.length + " bytes");
        }
        return received;
    }

    private static Principal peer(SSLSession session) {
        try {
            return session.getPeerPrincipal();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    // ---- working connections

    @Test
    void echoRoundTripsOverTls() throws Exception {
        Exchange exchange = exchange(
                        pki.server.serving().build(), pki.trustingCa().build(), "localhost")
                .succeeded();
        assertEquals(
                pki.server.certificate().getSubjectX500Principal(),
                exchange.client().peer());
        assertEquals(List.of("localhost"), exchange.server().serverNames());
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({"RSA, PKCS1", "RSA, PKCS8", "EC, SEC1", "EC, PKCS8", "ED25519, PKCS8"})
    void everySupportedKeyEncodingServes(KeyType type, KeyEncoding encoding) throws Exception {
        Identity identity =
                switch (type) {
                    case RSA -> pki.server;
                    case EC -> pki.ecServer;
                    case ED25519 -> pki.edServer;
                };
        TlsConfig server = TlsConfig.builder()
                .cert(identity.chain())
                .key(identity.key(encoding))
                .build();
        assertTrue(server.hasCertificate());
        exchange(server, pki.trustingCa().build(), "localhost").succeeded();
    }

    @Test
    void mutualTlsAcceptsClientWithCaSignedCertificate() throws Exception {
        TlsConfig server =
                pki.server.serving().ca(pki.caCert).requireClientCert(true).build();
        TlsConfig client = TlsConfig.builder()
                .ca(pki.caCert)
                .cert(pki.client.chain())
                .key(pki.client.key(KeyEncoding.SEC1))
                .build();
        Exchange exchange = exchange(server, client, "localhost").succeeded();
        assertEquals(
                pki.client.certificate().getSubjectX500Principal(),
                exchange.server().peer());
    }

    @Test
    void mutualTlsRejectsClientWithoutCertificate() throws Exception {
        TlsConfig server =
                pki.server.serving().ca(pki.caCert).requireClientCert(true).build();
        Exchange exchange = exchange(server, pki.trustingCa().build(), "localhost");
        assertInstanceOf(SSLHandshakeException.class, exchange.server().failed());
        // TLS 1.3: the client may finish its side first and see the server's alert (or reset) on read.
        assertInstanceOf(IOException.class, exchange.client().failed());
    }

    @Test
    void mutualTlsRejectsClientCertificateNotSignedByCa() throws Exception {
        TlsConfig server =
                pki.server.serving().ca(pki.caCert).requireClientCert(true).build();
        TlsConfig client = TlsConfig.builder()
                .ca(pki.caCert)
                .cert(pki.stranger.chain())
                .key(pki.stranger.key(KeyEncoding.PKCS8))
                .build();
        Exchange exchange = exchange(server, client, "localhost");
        assertInstanceOf(SSLHandshakeException.class, exchange.server().failed());
        assertInstanceOf(IOException.class, exchange.client().failed());
    }

    @Test
    void verifyingClientRejectsServerCertificateForAnotherName() throws Exception {
        Exchange exchange =
                exchange(pki.wrongServer.serving().build(), pki.trustingCa().build(), "localhost");
        Exception failure =
                assertInstanceOf(SSLHandshakeException.class, exchange.client().failed());
        assertTrue(failure.getMessage().contains("localhost"), failure.getMessage());
        assertNotNull(exchange.server().failed());
    }

    @ParameterizedTest
    @CsvSource({"localhost", "127.0.0.1"})
    void verifyingClientAcceptsServerCertificateForItsNameOrAddress(String host) throws Exception {
        Exchange exchange = exchange(
                        pki.server.serving().build(), pki.trustingCa().build(), host)
                .succeeded();
        // SNI carries DNS names only.
        assertEquals(
                host.equals("localhost") ? List.of(host) : List.of(),
                exchange.server().serverNames());
    }

    @Test
    void verifyingClientWithoutCaTrustsOnlyTheJdkTrustStore() throws Exception {
        TlsConfig client = TlsConfig.builder().build();
        assertTrue(client.verify());
        Exchange exchange = exchange(pki.server.serving().build(), client, "localhost");
        assertInstanceOf(SSLHandshakeException.class, exchange.client().failed());
    }

    @Test
    void nonVerifyingClientAcceptsAnyServer() throws Exception {
        TlsConfig client = TlsConfig.builder().verify(false).build();
        assertFalse(client.verify());
        // Neither the name nor the issuer (unknown without ca) would pass a check.
        exchange(pki.wrongServer.serving().build(), client, "localhost").succeeded();
    }

    // ---- protocols and ciphers

    @Test
    void defaultIsTls13Only() throws Exception {
        Exchange exchange = exchange(
                        pki.server.serving().build(), pki.trustingCa().build(), "localhost")
                .succeeded();
        assertEquals(List.of("TLSv1.3"), exchange.server().enabledProtocols());
        assertEquals(List.of("TLSv1.3"), exchange.client().enabledProtocols());
        assertEquals("TLSv1.3", exchange.server().protocol());
        assertEquals("TLSv1.3", exchange.client().protocol());
    }

    @Test
    void minimumVersionTls12EnablesTls12() throws Exception {
        TlsConfig server = pki.server.serving().minimumVersion("TLSv1.2").build();
        TlsConfig client = TlsConfig.builder()
                .ca(pki.caCert)
                .minimumVersion("TLSv1.2")
                .maximumVersion("TLSv1.2")
                .build();
        Exchange exchange = exchange(server, client, "localhost").succeeded();
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), exchange.server().enabledProtocols());
        assertEquals(List.of("TLSv1.2"), exchange.client().enabledProtocols());
        assertEquals("TLSv1.2", exchange.server().protocol());
        assertEquals("TLSv1.2", exchange.client().protocol());
    }

    @Test
    void defaultServerRefusesTls12OnlyClient() throws Exception {
        TlsConfig client = TlsConfig.builder()
                .ca(pki.caCert)
                .minimumVersion("TLSv1.2")
                .maximumVersion("TLSv1.2")
                .build();
        Exchange exchange = exchange(pki.server.serving().build(), client, "localhost");
        assertInstanceOf(SSLHandshakeException.class, exchange.server().failed());
        assertInstanceOf(IOException.class, exchange.client().failed());
    }

    @Test
    void ciphersRestrictTheEnabledSuites() throws Exception {
        TlsConfig server =
                pki.server.serving().ciphers("TLS_AES_256_GCM_SHA384").build();
        TlsConfig client = TlsConfig.builder()
                .ca(pki.caCert)
                .ciphers("TLS_AES_256_GCM_SHA384")
                .build();
        Exchange exchange = exchange(server, client, "localhost").succeeded();
        assertEquals(List.of("TLS_AES_256_GCM_SHA384"), exchange.server().enabledCiphers());
        assertEquals(List.of("TLS_AES_256_GCM_SHA384"), exchange.client().enabledCiphers());
        assertEquals("TLS_AES_256_GCM_SHA384", exchange.client().cipherSuite());
    }

    @Test
    void unknownProtocolNameIsRejectedByTheSetter() {
        IllegalArgumentException min = assertThrows(
                IllegalArgumentException.class, () -> TlsConfig.builder().minimumVersion("TLSv1.4"));
        assertTrue(
                min.getMessage().contains("minimumVersion") && min.getMessage().contains("TLSv1.4"), min.getMessage());
        IllegalArgumentException max = assertThrows(
                IllegalArgumentException.class, () -> TlsConfig.builder().maximumVersion("SSLv3"));
        assertTrue(
                max.getMessage().contains("maximumVersion") && max.getMessage().contains("SSLv3"), max.getMessage());
    }

    @Test
    void minimumAboveMaximumFailsBuild() {
        TlsConfig.Builder builder =
                TlsConfig.builder().minimumVersion("TLSv1.3").maximumVersion("TLSv1.2");
        IllegalStateException failure = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(
                failure.getMessage().contains("TLSv1.3") && failure.getMessage().contains("TLSv1.2"),
                failure.getMessage());
    }

    @Test
    void unknownCipherFailsBuildNamingIt() {
        TlsConfig.Builder builder = TlsConfig.builder().ciphers("TLS_AES_256_GCM_SHA384", "TLS_NO_SUCH_SUITE");
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(failure.getMessage().contains("TLS_NO_SUCH_SUITE"), failure.getMessage());
        assertFalse(failure.getMessage().contains("TLS_AES_256_GCM_SHA384"), failure.getMessage());
    }

    @Test
    void ciphersThatFitNoChosenProtocolFailBuild() {
        TlsConfig.Builder builder = TlsConfig.builder().ciphers("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        IllegalStateException failure = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(failure.getMessage().contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), failure.getMessage());
        builder.minimumVersion("TLSv1.2").build();
    }

    @Test
    void emptyOrBlankCipherListIsRejectedByTheSetter() {
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().ciphers());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().ciphers(" "));
        assertThrows(NullPointerException.class, () -> TlsConfig.builder().ciphers("TLS_AES_256_GCM_SHA384", null));
    }

    // ---- files that do not load

    private static void assertFileRejected(TlsConfig.Builder builder, Path path, String problem) {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(failure.getMessage().contains(path.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains(problem), failure.getMessage());
    }

    @Test
    void missingCertFileIsNamed() {
        Path missing = dir.resolve("missing.pem");
        assertFileRejected(
                TlsConfig.builder().cert(missing).key(pki.server.key(KeyEncoding.PKCS8)), missing, "does not exist");
    }

    @Test
    void missingCaFileIsNamed() {
        Path missing = dir.resolve("missing-ca.pem");
        assertFileRejected(TlsConfig.builder().ca(missing), missing, "does not exist");
    }

    @Test
    void unreadableCertFileIsNamed() {
        assertFileRejected(TlsConfig.builder().cert(dir).key(pki.server.key(KeyEncoding.PKCS8)), dir, "cannot be read");
    }

    @Test
    void garbageCertFileIsNamed() {
        Path garbage = pki.write("garbage.pem", "this is not a certificate\n");
        assertFileRejected(
                TlsConfig.builder().cert(garbage).key(pki.server.key(KeyEncoding.PKCS8)), garbage, "not a PEM file");
    }

    @Test
    void derCertFileIsNotPem() throws Exception {
        Path der =
                Files.write(dir.resolve("server.der"), pki.server.certificate().getEncoded());
        assertFileRejected(TlsConfig.builder().ca(der), der, "not a PEM file");
    }

    @Test
    void corruptCertificateBlockIsNamed() {
        Path corrupt = pki.write(
                "corrupt.pem",
                TestCertificates.pem("CERTIFICATE", "not DER at all".getBytes(StandardCharsets.US_ASCII)));
        assertFileRejected(TlsConfig.builder().ca(corrupt), corrupt, "not a valid X.509 certificate");
    }

    @Test
    void corruptKeyBlockIsNamed() {
        Path corrupt = pki.write(
                "corrupt.key",
                TestCertificates.pem("PRIVATE KEY", "not DER at all".getBytes(StandardCharsets.US_ASCII)));
        assertFileRejected(TlsConfig.builder().cert(pki.server.chain()).key(corrupt), corrupt, "not valid DER");
    }

    @Test
    void keyFileWithoutKeyIsNamed() {
        Path chain = pki.server.chain();
        assertFileRejected(TlsConfig.builder().cert(chain).key(chain), chain, "no private key");
    }

    @Test
    void certFileWithoutCertificateIsNamed() {
        Path key = pki.server.key(KeyEncoding.PKCS8);
        assertFileRejected(TlsConfig.builder().cert(key).key(key), key, "no certificate");
    }

    @Test
    void oneFileMayHoldBothCertificateAndKey() throws Exception {
        Path combined = pki.write(
                "combined.pem",
                Files.readString(pki.ecServer.chain()) + Files.readString(pki.ecServer.key(KeyEncoding.SEC1)));
        exchange(
                        TlsConfig.builder().cert(combined).key(combined).build(),
                        pki.trustingCa().build(),
                        "localhost")
                .succeeded();
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyEncoding.class,
            names = {"ENCRYPTED_PKCS8", "ENCRYPTED_LEGACY"})
    void encryptedKeyIsRejected(KeyEncoding encoding) {
        Path encrypted = pki.server.key(encoding);
        assertFileRejected(TlsConfig.builder().cert(pki.server.chain()).key(encrypted), encrypted, "encrypted");
    }

    @Test
    void rsaKeyOfAnotherCertificateIsRejected() {
        Path other = pki.wrongServer.key(KeyEncoding.PKCS1);
        assertFileRejected(
                TlsConfig.builder().cert(pki.server.chain()).key(other), other, "does not match the certificate");
    }

    @Test
    void ecKeyOfAnotherCertificateIsRejected() {
        Path other = pki.client.key(KeyEncoding.SEC1);
        assertFileRejected(
                TlsConfig.builder().cert(pki.ecServer.chain()).key(other), other, "does not match the certificate");
    }

    @Test
    void keyOfAnotherAlgorithmIsRejected() {
        Path other = pki.ecServer.key(KeyEncoding.PKCS8);
        assertFileRejected(TlsConfig.builder().cert(pki.server.chain()).key(other), other, "is EC but");
    }

    // ---- rules spanning settings, and the builder itself

    @Test
    void certWithoutKeyFailsBuild() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class,
                () -> TlsConfig.builder().cert(pki.server.chain()).build());
        assertTrue(failure.getMessage().contains("key"), failure.getMessage());
    }

    @Test
    void keyWithoutCertFailsBuild() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class,
                () -> TlsConfig.builder().key(pki.server.key(KeyEncoding.PKCS8)).build());
        assertTrue(failure.getMessage().contains("cert"), failure.getMessage());
    }

    @Test
    void requireClientCertWithoutCaFailsBuild() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class,
                () -> pki.server.serving().requireClientCert(true).build());
        assertTrue(failure.getMessage().contains("ca(Path)"), failure.getMessage());
    }

    @Test
    void settersRejectNullNamingTheParameter() {
        TlsConfig.Builder builder = TlsConfig.builder();
        assertEquals(
                "cert",
                assertThrows(NullPointerException.class, () -> builder.cert(null))
                        .getMessage());
        assertEquals(
                "key",
                assertThrows(NullPointerException.class, () -> builder.key(null))
                        .getMessage());
        assertEquals(
                "ca",
                assertThrows(NullPointerException.class, () -> builder.ca(null)).getMessage());
        assertEquals(
                "minimumVersion",
                assertThrows(NullPointerException.class, () -> builder.minimumVersion(null))
                        .getMessage());
    }

    @Test
    void buildDoesNotChangeTheBuilder() {
        TlsConfig.Builder builder = TlsConfig.builder();
        TlsConfig first = builder.build();
        TlsConfig second = builder.verify(false).build();
        assertTrue(first.verify());
        assertFalse(second.verify());
        assertFalse(first.hasCertificate());
        assertFalse(first.requireClientCert());
    }

    @Test
    void wrapServerWithoutCertificateLeavesTheSocketOpen() throws IOException {
        try (Socket plain = new Socket()) {
            assertThrows(
                    IllegalStateException.class, () -> pki.trustingCa().build().wrapServer(plain));
            assertFalse(plain.isClosed());
        }
    }

    @Test
    void wrappingAnUnconnectedSocketFailsAndClosesIt() throws IOException {
        try (Socket plain = new Socket()) {
            assertThrows(SocketException.class, () -> pki.trustingCa().build().wrapClient(plain, "localhost", 443));
            assertTrue(plain.isClosed());
        }
    }

    @Test
    void toStringNamesFilesButNoKeyMaterial() {
        String text = pki.server.serving().build().toString();
        assertTrue(text.contains(pki.server.chain().toString()), text);
        assertFalse(text.contains("PRIVATE"), text);
    }
}
