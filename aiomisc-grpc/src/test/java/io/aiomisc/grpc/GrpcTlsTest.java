package io.aiomisc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloRequest;
import io.aiomisc.net.TlsConfig;
import io.aiomisc.testing.TestPki;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS: mutual TLS with generated certificates, server-only TLS, and bad TLS configuration. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcTlsTest {
    @TempDir
    static Path dir;

    private static TestPki pki;

    @BeforeAll
    static void generateCertificates() {
        pki = TestPki.create(dir);
    }

    @Test
    void mutualTlsAnswersAClientWithACertificateOfTheCa() throws Exception {
        GrpcService service = mutualTlsService();
        service.start();
        try {
            assertEquals(
                    "hello mtls from a virtual thread: true", sayHello(service, clientCredentials(pki.client), "mtls"));
        } finally {
            service.stop(null);
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificate() throws Exception {
        GrpcService service = mutualTlsService();
        service.start();
        try {
            ChannelCredentials noCert = TlsChannelCredentials.newBuilder()
                    .trustManager(pki.caCert.toFile())
                    .build();
            assertEquals(Status.Code.UNAVAILABLE, failure(service, noCert).getCode());
        } finally {
            service.stop(null);
        }
    }

    @Test
    void mutualTlsRefusesAClientWhoseCertificateAnotherCaSigned() throws Exception {
        GrpcService service = mutualTlsService();
        service.start();
        try {
            assertEquals(
                    Status.Code.UNAVAILABLE,
                    failure(service, clientCredentials(pki.stranger)).getCode());
        } finally {
            service.stop(null);
        }
    }

    @Test
    void aTlsServerRefusesAPlaintextClient() throws Exception {
        GrpcService service = mutualTlsService();
        service.start();
        try {
            assertEquals(
                    Status.Code.UNAVAILABLE,
                    failure(service, InsecureChannelCredentials.create()).getCode());
        } finally {
            service.stop(null);
        }
    }

    @Test
    void serverOnlyTlsAnswersAClientWithoutACertificate() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0)
                .addService(new GtGreeter())
                .tls(pki.server.presenting().build());
        service.start();
        try {
            ChannelCredentials noCert = TlsChannelCredentials.newBuilder()
                    .trustManager(pki.caCert.toFile())
                    .build();
            assertEquals("hello tls from a virtual thread: true", sayHello(service, noCert, "tls"));
        } finally {
            service.stop(null);
        }
    }

    @Test
    void missingTlsFilesAreNamedInTheException() {
        Path missing = dir.resolve("no-such-file.pem");
        IllegalArgumentException cert = assertThrows(
                IllegalArgumentException.class,
                () -> TlsConfig.builder().cert(missing).key(pki.server.key()).build());
        assertTrue(cert.getMessage().contains(missing.toString()), cert.getMessage());
        IllegalArgumentException key = assertThrows(
                IllegalArgumentException.class,
                () -> TlsConfig.builder().cert(pki.server.chain()).key(missing).build());
        assertTrue(key.getMessage().contains(missing.toString()), key.getMessage());
        IllegalArgumentException ca = assertThrows(IllegalArgumentException.class, () -> pki.server
                .presenting()
                .ca(missing)
                .requireClientCert(true)
                .build());
        assertTrue(ca.getMessage().contains(missing.toString()), ca.getMessage());
    }

    @Test
    void tlsWithoutACertificateAndKeyIsRejectedAtTls() {
        TlsConfig clientSide = pki.trustingCa();
        GrpcService service = new GrpcService("127.0.0.1", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.tls(clientSide));
        assertTrue(e.getMessage().contains("certificate"), e.getMessage());
    }

    private static GrpcService mutualTlsService() {
        return new GrpcService("127.0.0.1", 0)
                .addService(new GtGreeter())
                .tls(pki.server
                        .presenting()
                        .ca(pki.caCert)
                        .requireClientCert(true)
                        .build());
    }

    private static ChannelCredentials clientCredentials(TestPki.Identity identity) throws IOException {
        return TlsChannelCredentials.newBuilder()
                .keyManager(identity.chain().toFile(), identity.key().toFile())
                .trustManager(pki.caCert.toFile())
                .build();
    }

    private static String sayHello(GrpcService service, ChannelCredentials credentials, String name)
            throws InterruptedException {
        ManagedChannel channel = GtChannels.to(service, credentials);
        try {
            return GreeterGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName(name).build())
                    .getMessage();
        } finally {
            GtChannels.close(channel);
        }
    }

    /** The status a call with {@code credentials} fails with (it must fail). */
    private static Status failure(GrpcService service, ChannelCredentials credentials) throws InterruptedException {
        ManagedChannel channel = GtChannels.to(service, credentials);
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> GreeterGrpc.newBlockingStub(
                            channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("refused").build()));
            return e.getStatus();
        } finally {
            GtChannels.close(channel);
        }
    }
}
