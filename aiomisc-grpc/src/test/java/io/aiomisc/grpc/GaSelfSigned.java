package io.aiomisc.grpc;

import io.aiomisc.net.TlsConfig;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away self-signed certificate for localhost and its key, written as PEM files: enough for
 * a server {@link TlsConfig} in tests that only need one to exist (no key is ever committed).
 */
final class GaSelfSigned {
    private GaSelfSigned() {}

    /** A server {@link TlsConfig} with a fresh self-signed EC certificate written into {@code dir}. */
    static TlsConfig serverTls(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=localhost");
        Instant now = Instant.now();
        byte[] certificate = new JcaX509v3CertificateBuilder(
                        subject,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        subject,
                        keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded();
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Files.writeString(cert, pem("CERTIFICATE", certificate), StandardCharsets.US_ASCII);
        Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        return TlsConfig.builder().cert(cert).key(key).build();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
