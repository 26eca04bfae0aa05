package io.aiomisc.net;

import java.io.IOException;
import java.io.StringWriter;
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
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Generates a throw-away PKI at test time, so no key is ever committed: a CA, certificates it
 * signs, and their keys as PEM files in every encoding {@link TlsConfig} reads. Bouncy Castle builds
 * the certificates and the encrypted keys; key pairs come from the JDK.
 *
 * <pre>{@code
 * TestCertificates pki = TestCertificates.create(tempDir);
 * TlsConfig server = TlsConfig.builder().cert(pki.server.chain()).key(pki.server.key(KeyEncoding.PKCS8)).build();
 * TlsConfig client = TlsConfig.builder().ca(pki.caCert).build();
 * }</pre>
 *
 * Certificates are valid from an hour ago for a day. Creating one takes a few hundred milliseconds
 * (RSA key generation), so share it across the tests of a class.
 */
final class TestCertificates {
    /** The key types of the generated identities. */
    enum KeyType {
        RSA,
        EC,
        ED25519
    }

    /** How a key file is written. */
    enum KeyEncoding {
        /** {@code BEGIN PRIVATE KEY}: every key type. */
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY}: RSA only. */
        PKCS1,
        /** {@code BEGIN EC PRIVATE KEY}, curve named inside: EC only. */
        SEC1,
        /** {@code BEGIN ENCRYPTED PRIVATE KEY} (AES-256-CBC, password "secret"). */
        ENCRYPTED_PKCS8,
        /** OpenSSL's legacy encryption: {@code Proc-Type: 4,ENCRYPTED} headers (AES-128-CBC). */
        ENCRYPTED_LEGACY
    }

    /** A certificate, its key, and their files. */
    record Identity(X509Certificate certificate, PrivateKey privateKey, Path chain, Map<KeyEncoding, Path> keys) {
        /** A server configuration with this identity's chain and PKCS#8 key. */
        TlsConfig.Builder serving() {
            return TlsConfig.builder().cert(chain).key(key(KeyEncoding.PKCS8));
        }

        /** The key file in {@code encoding}. */
        Path key(KeyEncoding encoding) {
            Path file = keys.get(encoding);
            if (file == null) {
                throw new IllegalArgumentException(
                        certificate.getSubjectX500Principal() + " has no key file in " + encoding);
            }
            return file;
        }
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final char[] PASSWORD = "secret".toCharArray();
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** The CA certificate (RSA) that signs every identity but {@link #stranger}. */
    final Path caCert;

    /** A client configuration that trusts this CA. */
    TlsConfig.Builder trustingCa() {
        return TlsConfig.builder().ca(caCert);
    }

    /** A server for DNS:localhost and IP:127.0.0.1, with an RSA key. */
    final Identity server;
    /** The same names, with an EC P-256 key. */
    final Identity ecServer;
    /** The same names, with an Ed25519 key. */
    final Identity edServer;
    /** A server for DNS:wrong.example only, signed by the same CA. */
    final Identity wrongServer;
    /** A client (extended key usage clientAuth), EC key. */
    final Identity client;
    /** A self-signed client certificate that the CA never signed. */
    final Identity stranger;

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        this.caKeys = keyPair(KeyType.RSA);
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=aiomisc test CA");
        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(
                        caName,
                        serial(),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        caName,
                        caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(
                        Extension.subjectKeyIdentifier,
                        false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic()));
        this.ca = sign(caBuilder, caKeys.getPrivate());
        this.caCert = write("ca.pem", pem("CERTIFICATE", ca.getEncoded()));

        GeneralNames localhost = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        });
        this.server = issue("server", KeyType.RSA, localhost, KeyPurposeId.id_kp_serverAuth);
        this.ecServer = issue("ec-server", KeyType.EC, localhost, KeyPurposeId.id_kp_serverAuth);
        this.edServer = issue("ed-server", KeyType.ED25519, localhost, KeyPurposeId.id_kp_serverAuth);
        this.wrongServer = issue(
                "wrong",
                KeyType.RSA,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "wrong.example")),
                KeyPurposeId.id_kp_serverAuth);
        this.client = issue("client", KeyType.EC, null, KeyPurposeId.id_kp_clientAuth);
        this.stranger = selfSigned("stranger", KeyType.EC);
    }

    /** Generates the whole PKI and writes its files into {@code dir}. */
    static TestCertificates create(Path dir) {
        try {
            return new TestCertificates(dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate test certificates", e);
        }
    }

    /** Writes {@code text} to a new file in the PKI's directory. */
    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Identity issue(String name, KeyType type, GeneralNames names, KeyPurposeId purpose) throws Exception {
        KeyPair keys = keyPair(type);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        ca,
                        serial(),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        new X500Name("CN=aiomisc test " + name),
                        keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(
                                type == KeyType.RSA
                                        ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                                        : KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(
                        Extension.authorityKeyIdentifier,
                        false,
                        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
        if (names != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, names);
        }
        X509Certificate certificate = sign(builder, caKeys.getPrivate());
        // Leaf first, then the CA, as servers usually send it.
        Path chain = write(
                name + ".pem", pem("CERTIFICATE", certificate.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
        return new Identity(certificate, keys.getPrivate(), chain, writeKeys(name, type, keys));
    }

    private Identity selfSigned(String name, KeyType type) throws Exception {
        KeyPair keys = keyPair(type);
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=aiomisc test " + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        subject,
                        serial(),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        subject,
                        keys.getPublic())
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate certificate = sign(builder, keys.getPrivate());
        Path chain = write(name + ".pem", pem("CERTIFICATE", certificate.getEncoded()));
        return new Identity(certificate, keys.getPrivate(), chain, writeKeys(name, type, keys));
    }

    private Map<KeyEncoding, Path> writeKeys(String name, KeyType type, KeyPair keys) throws Exception {
        Map<KeyEncoding, Path> files = new EnumMap<>(KeyEncoding.class);
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        files.put(
                KeyEncoding.PKCS8,
                write(name + ".pkcs8.key", pem("PRIVATE KEY", keys.getPrivate().getEncoded())));
        if (type == KeyType.RSA) {
            byte[] pkcs1 = info.parsePrivateKey().toASN1Primitive().getEncoded();
            files.put(KeyEncoding.PKCS1, write(name + ".pkcs1.key", pem("RSA PRIVATE KEY", pkcs1)));
            files.put(
                    KeyEncoding.ENCRYPTED_LEGACY,
                    write(
                            name + ".legacy-encrypted.key",
                            pem(new JcaMiscPEMGenerator(
                                    keys.getPrivate(),
                                    new JcePEMEncryptorBuilder("AES-128-CBC")
                                            .setProvider(BC)
                                            .build(PASSWORD)))));
        }
        if (type == KeyType.EC) {
            // The JDK's PKCS#8 leaves the curve out of the inner SEC1 structure; SEC1 files name it.
            java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) keys.getPrivate();
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            DERBitString publicKey = new DERBitString(
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())
                            .getPublicKeyData()
                            .getBytes());
            byte[] sec1 =
                    new ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(), publicKey, curve).getEncoded();
            files.put(KeyEncoding.SEC1, write(name + ".sec1.key", pem("EC PRIVATE KEY", sec1)));
        }
        files.put(
                KeyEncoding.ENCRYPTED_PKCS8,
                write(
                        name + ".encrypted.key",
                        pem(new JcaPKCS8Generator(
                                keys.getPrivate(),
                                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                                        .setProvider(BC)
                                        .setPassword(PASSWORD)
                                        .build()))));
        return files;
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        return switch (type) {
            case RSA -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                yield generator.generateKeyPair();
            }
            case EC -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                yield generator.generateKeyPair();
            }
            case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        };
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm =
                switch (signer.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    default -> "Ed25519";
                };
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    /** A PEM block, 64 characters a line, as OpenSSL writes it. */
    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static String pem(PemObjectGenerator generator) throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(generator);
        }
        return text.toString();
    }
}
