package io.aiomisc.testing;

import io.aiomisc.net.TlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI generated at test time (no key is committed): a CA, a server certificate for
 * IP:127.0.0.1 and DNS:localhost, a client certificate the CA signed, and a second CA with a client
 * certificate of its own (a client the first CA never signed), as PEM files {@link TlsConfig},
 * Jetty and grpc-java's {@code TlsChannelCredentials} read. EC P-256 keys, valid from an hour ago
 * for a day. Shared through the core test-jar by the TLS tests of aiomisc-http and aiomisc-grpc.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate chain file and its PKCS#8 key file. */
    public record Identity(Path chain, Path key) {
        /** A configuration presenting this identity (a server's, or a client's with {@code ca}). */
        public TlsConfig.Builder presenting() {
            return TlsConfig.builder().cert(chain).key(key);
        }
    }

    /** The CA certificate that signs {@link #server} and {@link #client}. */
    public final Path caCert;
    /** A server for IP:127.0.0.1 and DNS:localhost. */
    public final Identity server;
    /** A client (extended key usage clientAuth) the CA signed. */
    public final Identity client;
    /** A client signed by {@link #otherCaCert}, a CA the server does not trust. */
    public final Identity stranger;
    /** The second CA's certificate: the one that signed {@link #stranger}. */
    public final Path otherCaCert;

    private final Path dir;

    private TestPki(Path dir) throws Exception {
        this.dir = dir;
        KeyPair caKeys = keyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=aiomisc test CA");
        X509Certificate ca = sign(
                new JcaX509v3CertificateBuilder(caName, serial(), from(now), until(now), caName, caKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                caKeys.getPrivate());
        this.caCert = write("ca.pem", pem("CERTIFICATE", ca.getEncoded()));

        KeyPair serverKeys = keyPair();
        X509v3CertificateBuilder server = leaf(ca, "server", serverKeys, KeyPurposeId.id_kp_serverAuth)
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")
                }));
        this.server = identity("server", sign(server, caKeys.getPrivate()), ca, serverKeys);

        KeyPair clientKeys = keyPair();
        this.client = identity(
                "client",
                sign(leaf(ca, "client", clientKeys, KeyPurposeId.id_kp_clientAuth), caKeys.getPrivate()),
                ca,
                clientKeys);

        KeyPair otherCaKeys = keyPair();
        X500Name otherCaName = new X500Name("CN=aiomisc other test CA");
        X509Certificate otherCa = sign(
                new JcaX509v3CertificateBuilder(
                                otherCaName, serial(), from(now), until(now), otherCaName, otherCaKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                otherCaKeys.getPrivate());
        this.otherCaCert = write("other-ca.pem", pem("CERTIFICATE", otherCa.getEncoded()));
        KeyPair strangerKeys = keyPair();
        this.stranger = identity(
                "stranger",
                sign(leaf(otherCa, "stranger", strangerKeys, KeyPurposeId.id_kp_clientAuth), otherCaKeys.getPrivate()),
                otherCa,
                strangerKeys);
    }

    /** Generates the PKI and writes its files into {@code dir}. */
    public static TestPki create(Path dir) {
        try {
            return new TestPki(dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate test certificates", e);
        }
    }

    /**
     * A client configuration that trusts the CA and presents no certificate.
     *
     * @return the configuration
     */
    public TlsConfig trustingCa() {
        return TlsConfig.builder().ca(caCert).build();
    }

    private static X509v3CertificateBuilder leaf(X509Certificate ca, String name, KeyPair keys, KeyPurposeId purpose)
            throws IOException {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                        ca, serial(), from(now), until(now), new X500Name("CN=aiomisc test " + name), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }

    private Identity identity(String name, X509Certificate certificate, X509Certificate ca, KeyPair keys)
            throws GeneralSecurityException {
        String chain = pem("CERTIFICATE", certificate.getEncoded());
        if (ca != null) {
            chain += pem("CERTIFICATE", ca.getEncoded());
        }
        return new Identity(
                write(name + ".pem", chain),
                write(name + ".key", pem("PRIVATE KEY", keys.getPrivate().getEncoded())));
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static Date from(Instant now) {
        return Date.from(now.minus(Duration.ofHours(1)));
    }

    private static Date until(Instant now) {
        return Date.from(now.plus(Duration.ofDays(1)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
