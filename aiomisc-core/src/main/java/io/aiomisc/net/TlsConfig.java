package io.aiomisc.net;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS settings of a server or client, read from PEM files: aiomisc's {@code cert}, {@code key},
 * {@code ca}, {@code verify} and {@code require_client_cert}, turned into ready {@link SSLContext}s
 * that wrap connected plain sockets.
 *
 * <pre>{@code
 * // a server with mutual TLS
 * TlsConfig server = TlsConfig.builder()
 *         .cert(Path.of("server.pem")).key(Path.of("server.key"))
 *         .ca(Path.of("clients-ca.pem")).requireClientCert(true)
 *         .build();
 * SSLSocket tls = server.wrapServer(listener.accept());
 *
 * // a client that trusts a private CA and checks the server's name
 * TlsConfig client = TlsConfig.builder().ca(Path.of("ca.pem")).build();
 * SSLSocket tls = client.wrapClient(plain, "db.internal", 5433);
 * }</pre>
 *
 * <p>Defaults: TLS 1.3 only, the JDK's cipher suites for it, a client verifies the server's
 * certificate chain and host name against the JDK's trust store, a server does not ask for client
 * certificates. Every file is read and checked by {@link Builder#build()}, so a bad path or file
 * fails at start-up, not at the first connection; changing a file later has no effect.
 *
 * <p><b>PEM files.</b> Only regular files are read (symbolic links are followed): a directory, a
 * device such as {@code /dev/zero} or a FIFO is refused before it is opened, so a wrong path can
 * neither block {@code build()} nor fill the heap. A file may hold at most 1 MiB (a system CA bundle
 * with every trusted root is about 220 KiB); a larger one is refused naming the limit. Parsing takes
 * time linear in the file's size whatever it holds. Blocks of other types are skipped, so one file
 * may hold a certificate chain and its key; a {@code BEGIN} line without its {@code END} line is
 * ignored (and named if the file then holds no block at all). Every failure is an
 * {@link IllegalArgumentException} whose message starts with the role and path of the file.
 *
 * <p>A {@code TlsConfig} is immutable and thread-safe: its {@link SSLContext}s are created once by
 * {@code build()} and shared by every socket it wraps (so TLS sessions can be resumed).
 */
public final class TlsConfig {
    /** The protocol versions known to {@link Builder#minimumVersion}, oldest first. */
    private static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private static final String DEFAULT_VERSION = "TLSv1.3";
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final Path cert;
    private final Path key;
    private final Path ca;
    private final boolean verify;
    private final boolean requireClientCert;
    private final String[] protocols;
    private final String[] ciphers;
    /** Null without a certificate: a server needs one. */
    private final SSLContext serverContext;

    private final SSLContext clientContext;

    private TlsConfig(Builder builder) {
        this.cert = builder.cert;
        this.key = builder.key;
        this.ca = builder.ca;
        this.verify = builder.verify;
        this.requireClientCert = builder.requireClientCert;
        this.protocols = VERSIONS.subList(
                        VERSIONS.indexOf(builder.minimumVersion), VERSIONS.indexOf(builder.maximumVersion) + 1)
                .toArray(String[]::new);

        KeyManager[] keyManagers = null;
        if (cert != null) {
            List<X509Certificate> chain = Pem.readCertificates("cert", cert);
            PrivateKey privateKey = Pem.readPrivateKey("key", key);
            checkKeyMatches(chain.get(0), privateKey);
            keyManagers = keyManagers(chain, privateKey);
        }
        TrustManager[] caTrust = ca == null ? null : trustManagers(Pem.readCertificates("ca", ca));
        // Null trust managers make the JDK use its default trust store (cacerts).
        TrustManager[] serverTrust = caTrust;
        TrustManager[] clientTrust = verify ? caTrust : new TrustManager[] {new TrustAll()};
        this.serverContext = keyManagers == null ? null : context(keyManagers, serverTrust);
        this.clientContext = context(keyManagers, clientTrust);
        this.ciphers = builder.ciphers == null ? null : checkCiphers(builder.ciphers, protocols, clientContext);
    }

    /**
     * A builder with the defaults of the class description.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether a certificate and its key were given: needed by {@link #wrapServer}, optional for clients.
     *
     * @return true if {@link Builder#cert} and {@link Builder#key} were set
     */
    public boolean hasCertificate() {
        return serverContext != null;
    }

    /**
     * Whether a client verifies the server's certificate chain and host name (default true).
     *
     * @return the {@link Builder#verify} setting
     */
    public boolean verify() {
        return verify;
    }

    /**
     * Whether a server requires a client certificate signed by the {@code ca} (default false).
     *
     * @return the {@link Builder#requireClientCert} setting
     */
    public boolean requireClientCert() {
        return requireClientCert;
    }

    /**
     * Wraps an accepted plain socket as the server side of TLS. The returned socket owns
     * {@code plain} (closing it closes {@code plain}); the handshake happens on its first read or
     * write, or on {@link SSLSocket#startHandshake()}, and is bounded by {@code plain}'s
     * {@link Socket#setSoTimeout read timeout}. Does not block. With
     * {@link #requireClientCert()}, the handshake fails unless the client presents a certificate
     * signed by the {@code ca}.
     *
     * @param plain a connected socket
     * @return the TLS socket, in server mode, with this configuration's protocols and ciphers
     * @throws NullPointerException  if {@code plain} is null
     * @throws IllegalStateException if this configuration has no certificate (see
     *                               {@link #hasCertificate()}); {@code plain} is left untouched
     * @throws IOException           if {@code plain} is not connected or cannot be wrapped;
     *                               {@code plain} is closed then
     */
    public SSLSocket wrapServer(Socket plain) throws IOException {
        Objects.requireNonNull(plain, "plain");
        if (serverContext == null) {
            throw new IllegalStateException("wrapServer needs a certificate: set cert(Path) and key(Path)");
        }
        SSLSocket socket = null;
        try {
            requireConnected(plain);
            // The peer's address as host, as the JDK's own SSLServerSocket does (used for session caching).
            socket = (SSLSocket) serverContext
                    .getSocketFactory()
                    .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
            // Mode first: switching it resets protocols and suites to the mode's defaults.
            socket.setUseClientMode(false);
            SSLParameters parameters = parameters(socket);
            parameters.setNeedClientAuth(requireClientCert);
            socket.setSSLParameters(parameters);
            return socket;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(socket != null ? socket : plain, e);
            throw e;
        }
    }

    /**
     * Wraps a connected plain socket as the client side of TLS to {@code host}:{@code port}. The
     * returned socket owns {@code plain} (closing it closes {@code plain}); the handshake happens
     * on its first read or write, or on {@link SSLSocket#startHandshake()}, and is bounded by
     * {@code plain}'s {@link Socket#setSoTimeout read timeout}. Does not block.
     *
     * <p>{@code host} is sent as SNI when it is a DNS name (not an IP literal), and with
     * {@link #verify()} the server's certificate must be valid for it (a DNS or IP subject
     * alternative name, as HTTPS checks); a failed check fails the handshake with an
     * {@link javax.net.ssl.SSLHandshakeException}. The certificate and key, if given, are
     * presented when the server asks for a client certificate.
     *
     * @param plain a connected socket
     * @param host  the server's name or IP literal (IPv6 without brackets)
     * @param port  the server's port, 0..65535 (only for session caching)
     * @return the TLS socket, in client mode, with this configuration's protocols and ciphers
     * @throws NullPointerException     if {@code plain} or {@code host} is null
     * @throws IllegalArgumentException if {@code host} is empty or {@code port} is outside 0..65535;
     *                                  {@code plain} is left untouched
     * @throws IOException              if {@code plain} is not connected or cannot be wrapped;
     *                                  {@code plain} is closed then
     */
    public SSLSocket wrapClient(Socket plain, String host, int port) throws IOException {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        Sockets.checkPort(port);
        SSLSocket socket = null;
        try {
            requireConnected(plain);
            socket = (SSLSocket) clientContext.getSocketFactory().createSocket(plain, host, port, true);
            socket.setUseClientMode(true);
            SSLParameters parameters = parameters(socket);
            if (verify) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            SNIHostName serverName = serverName(host);
            parameters.setServerNames(serverName == null ? List.of() : List.of(serverName));
            socket.setSSLParameters(parameters);
            return socket;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(socket != null ? socket : plain, e);
            throw e;
        }
    }

    /**
     * The server-side {@link SSLContext} made from the certificate, key and CA of this config: what
     * other servers built on it use (Jetty in {@code aiomisc-http}, grpc-java), so every TLS module
     * shares one PEM loader. Its engines still need this config's protocols and client-certificate
     * policy ({@link #requireClientCert()}, {@link #protocols()}).
     *
     * @return the shared context
     * @throws IllegalStateException if this config has no certificate and key
     */
    public SSLContext sslContext() {
        if (serverContext == null) {
            throw new IllegalStateException("a TLS server needs a certificate and a key: set cert(...) and key(...)");
        }
        return serverContext;
    }

    /**
     * The client-side {@link SSLContext}: trusts the CA of this config when {@link #verify()} is on
     * (everything when it is off), and presents the certificate when there is one.
     *
     * @return the shared context
     */
    public SSLContext clientSslContext() {
        return clientContext;
    }

    /**
     * The cipher suites this config restricts TLS to, or empty for the JDK's defaults.
     *
     * @return a copy of the suites, empty when none were chosen
     */
    public String[] ciphers() {
        return ciphers == null ? new String[0] : ciphers.clone();
    }

    /**
     * The TLS protocol versions this config enables, e.g. {@code TLSv1.3, TLSv1.2}.
     *
     * @return a copy of the versions
     */
    public String[] protocols() {
        return protocols.clone();
    }

    /** The files and settings, never key material. */
    @Override
    public String toString() {
        return "TlsConfig[cert=" + cert + ", key=" + key + ", ca=" + ca + ", verify=" + verify
                + ", requireClientCert=" + requireClientCert + ", protocols=" + List.of(protocols)
                + ", ciphers=" + (ciphers == null ? "default" : List.of(ciphers)) + "]";
    }

    private SSLParameters parameters(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols);
        if (ciphers != null) {
            parameters.setCipherSuites(ciphers);
        }
        return parameters;
    }

    private static void requireConnected(Socket plain) throws SocketException {
        if (!plain.isConnected()) {
            throw new SocketException("cannot wrap a socket that is not connected: " + plain);
        }
    }

    private static void closeAfterFailure(Socket socket, Exception failure) {
        try {
            socket.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The SNI name for {@code host}, or null: SNI carries DNS names only (RFC 6066, section 3), and
     * the JDK rejects some legal host names (underscores), which then go without SNI.
     */
    private static SNIHostName serverName(String host) {
        if (host.indexOf(':') >= 0 || IPV4.matcher(host).matches()) {
            return null;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return new SNIHostName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void checkKeyMatches(X509Certificate leaf, PrivateKey privateKey) {
        PublicKey publicKey = leaf.getPublicKey();
        boolean matches;
        if (privateKey instanceof RSAKey rsa && publicKey instanceof RSAPublicKey rsaPublic) {
            // RSA keys carry the modulus on both halves: cheaper and surer than a signature.
            BigInteger modulus = rsa.getModulus();
            matches = modulus.equals(rsaPublic.getModulus())
                    && (!(privateKey instanceof RSAPrivateCrtKey crt)
                            || crt.getPublicExponent().equals(rsaPublic.getPublicExponent()));
        } else if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            throw Pem.problem(
                    "key",
                    key,
                    "the private key is " + privateKey.getAlgorithm() + " but the key of the certificate in " + cert
                            + " is " + publicKey.getAlgorithm(),
                    null);
        } else {
            matches = signatureVerifies(privateKey, publicKey);
        }
        if (!matches) {
            throw Pem.problem(
                    "key",
                    key,
                    "the private key does not match the certificate in " + cert + " ("
                            + leaf.getSubjectX500Principal().getName() + ")",
                    null);
        }
    }

    /** Signs a fixed message with the private key; the certificate's public key must verify it. */
    private boolean signatureVerifies(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm =
                switch (privateKey.getAlgorithm()) {
                    case "EC" -> "SHA256withECDSA";
                    case "DSA" -> "SHA256withDSA";
                    default -> privateKey.getAlgorithm(); // EdDSA: the key names its curve
                };
        byte[] message = "aiomisc key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key of another curve than the certificate's is refused by initVerify or verify.
            return false;
        }
    }

    private KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey privateKey) {
        // The password only guards the in-memory copy; the key manager needs the same one.
        char[] password = "aiomisc".toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", privateKey, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw Pem.problem(
                    "key",
                    key,
                    "the key and the certificate in " + cert + " cannot be used for TLS: " + e.getMessage(),
                    e);
        }
    }

    private TrustManager[] trustManagers(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw Pem.problem("ca", ca, "the certificates cannot be trusted for TLS: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    private static String[] checkCiphers(List<String> ciphers, String[] protocols, SSLContext context) {
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        List<String> unknown =
                ciphers.stream().filter(suite -> !supported.contains(suite)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown cipher suites (not supported by this JDK): " + unknown);
        }
        // TLS 1.3 suites name no key exchange ("TLS_AES_128_GCM_SHA256"); older ones do ("..._WITH_...").
        boolean tls13 = List.of(protocols).contains("TLSv1.3");
        boolean older = protocols.length > (tls13 ? 1 : 0);
        boolean usable = ciphers.stream()
                .anyMatch(suite -> suite.contains("_WITH_") ? older : tls13 && !suite.endsWith("_SCSV"));
        if (!usable) {
            throw new IllegalStateException(
                    "none of the ciphers " + ciphers + " can be used with the protocols " + List.of(protocols));
        }
        return ciphers.toArray(String[]::new);
    }

    /**
     * Trusts every certificate, for {@code verify(false)}. An {@link X509ExtendedTrustManager},
     * because the JDK wraps a plain {@code X509TrustManager} in one that still checks host names.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Collects the settings of a {@link TlsConfig}. Each setter checks its value at once (null:
     * {@link NullPointerException} naming the parameter); the files are read and rules spanning
     * several settings are checked by {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private Path cert;
        private Path key;
        private Path ca;
        private boolean verify = true;
        private boolean requireClientCert;
        private String minimumVersion = DEFAULT_VERSION;
        private String maximumVersion = DEFAULT_VERSION;
        private List<String> ciphers;

        private Builder() {}

        /**
         * The PEM certificate chain to present, leaf first (intermediates may follow; other blocks,
         * such as the key, are skipped). Needs {@link #key}. Default: none. Read by {@link #build()}.
         *
         * @param cert the PEM file
         * @return this builder
         * @throws NullPointerException if {@code cert} is null
         */
        public Builder cert(Path cert) {
            this.cert = Objects.requireNonNull(cert, "cert");
            return this;
        }

        /**
         * The PEM private key of the {@link #cert} leaf, unencrypted: PKCS#8 ({@code BEGIN PRIVATE KEY};
         * RSA, EC, Ed25519, Ed448), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
         * ({@code BEGIN EC PRIVATE KEY}). Default: none. Read by {@link #build()}.
         *
         * @param key the PEM file
         * @return this builder
         * @throws NullPointerException if {@code key} is null
         */
        public Builder key(Path key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * The PEM CA certificate(s) to trust instead of the JDK's trust store: a server checks client
         * certificates against them, a client the server's. Default: none. Read by {@link #build()}.
         *
         * @param ca the PEM file
         * @return this builder
         * @throws NullPointerException if {@code ca} is null
         */
        public Builder ca(Path ca) {
            this.ca = Objects.requireNonNull(ca, "ca");
            return this;
        }

        /**
         * Whether a client verifies the server: its chain against {@link #ca} (or the JDK's trust
         * store without one) and its name against the host given to {@link TlsConfig#wrapClient}.
         * {@code false} trusts any server, which only protects against passive eavesdropping.
         * Default: true.
         *
         * @param verify whether to verify
         * @return this builder
         */
        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        /**
         * Whether a server requires a client certificate signed by the {@link #ca} (mutual TLS);
         * {@link #build()} fails without a {@code ca}. Default: false.
         *
         * @param requireClientCert whether to require one
         * @return this builder
         */
        public Builder requireClientCert(boolean requireClientCert) {
            this.requireClientCert = requireClientCert;
            return this;
        }

        /**
         * The oldest protocol version to accept: "TLSv1", "TLSv1.1", "TLSv1.2" or "TLSv1.3".
         * Versions the JDK disables ({@code jdk.tls.disabledAlgorithms}: TLSv1 and TLSv1.1 by
         * default) stay disabled. Default: "TLSv1.3".
         *
         * @param version one of the names above
         * @return this builder
         * @throws IllegalArgumentException naming {@code version} if it is not one of those
         */
        public Builder minimumVersion(String version) {
            this.minimumVersion = checkVersion("minimumVersion", version);
            return this;
        }

        /**
         * The newest protocol version to accept, as for {@link #minimumVersion}. Default: "TLSv1.3".
         *
         * @param version "TLSv1", "TLSv1.1", "TLSv1.2" or "TLSv1.3"
         * @return this builder
         * @throws IllegalArgumentException naming {@code version} if it is not a known version
         */
        public Builder maximumVersion(String version) {
            this.maximumVersion = checkVersion("maximumVersion", version);
            return this;
        }

        /**
         * Restricts the cipher suites to {@code suites} (JSSE names such as
         * "TLS_AES_256_GCM_SHA384"); {@link #build()} rejects names this JDK does not support.
         * Default: the JDK's suites for the chosen protocols.
         *
         * @param suites the JSSE names of the suites to allow, in order of preference
         * @return this builder
         * @throws IllegalArgumentException if no suite is given or one is blank
         * @throws NullPointerException     if {@code suites} or one of them is null
         */
        public Builder ciphers(String... suites) {
            Objects.requireNonNull(suites, "suites");
            if (suites.length == 0) {
                throw new IllegalArgumentException("ciphers must name at least one suite: []");
            }
            Set<String> checked = new LinkedHashSet<>();
            for (String suite : suites) {
                Objects.requireNonNull(suite, "suites contains null");
                if (suite.isBlank()) {
                    throw new IllegalArgumentException("cipher suite names must not be blank: '" + suite + "'");
                }
                checked.add(suite);
            }
            this.ciphers = List.copyOf(checked);
            return this;
        }

        /**
         * Reads every file and creates the TLS contexts; the builder is not changed and may build again.
         *
         * @return a new, immutable configuration
         * @throws IllegalStateException    if only one of {@link #cert} and {@link #key} is set,
         *                                  {@link #requireClientCert} is set without {@link #ca}, the
         *                                  minimum version is above the maximum, or no chosen cipher
         *                                  suite fits the chosen versions
         * @throws IllegalArgumentException if a file is missing, unreadable or not what it should be
         *                                  (not a regular file, over 1 MiB, not PEM, no certificate or
         *                                  key inside, an encrypted key, a
         *                                  key that does not match the certificate; the message names
         *                                  the file and the problem), or a cipher suite is unknown
         */
        public TlsConfig build() {
            if (cert != null && key == null) {
                throw new IllegalStateException(
                        "cert is set (" + cert + ") but key is not: set key(Path) to its private key");
            }
            if (key != null && cert == null) {
                throw new IllegalStateException(
                        "key is set (" + key + ") but cert is not: set cert(Path) to its certificate");
            }
            if (requireClientCert && ca == null) {
                throw new IllegalStateException(
                        "requireClientCert(true) needs ca(Path): the CA that client certificates must be signed by");
            }
            if (VERSIONS.indexOf(minimumVersion) > VERSIONS.indexOf(maximumVersion)) {
                throw new IllegalStateException(
                        "minimumVersion " + minimumVersion + " is newer than maximumVersion " + maximumVersion);
            }
            return new TlsConfig(this);
        }

        private static String checkVersion(String name, String version) {
            Objects.requireNonNull(version, name);
            if (!VERSIONS.contains(version)) {
                throw new IllegalArgumentException(name + " must be one of " + VERSIONS + ": '" + version + "'");
            }
            return version;
        }
    }
}
