package io.aiomisc.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads PEM files, with the JDK only: X.509 certificates, and unencrypted private keys in PKCS#8
 * ({@code BEGIN PRIVATE KEY}: RSA, RSASSA-PSS, EC, Ed25519, Ed448, DSA), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}) form.
 *
 * <p>The JDK's {@link KeyFactory} reads PKCS#8 only, so PKCS#1 and SEC1 keys are wrapped into a
 * PKCS#8 structure first, with the small DER reader and writer below; nothing else of ASN.1 is
 * understood. Blocks of other types in a file are skipped, so one file may hold both a certificate
 * chain and its key.
 *
 * <p><b>Bounds.</b> Only regular files are read (after following symbolic links): a directory, a
 * device such as {@code /dev/zero} or a FIFO is refused before it is opened, so a wrong path can
 * neither block the start forever nor fill the heap. A file may hold at most {@link #MAX_FILE_BYTES}
 * (1 MiB); a larger one is refused naming the limit. A system CA bundle (every trusted root,
 * {@code /etc/ssl/certs/ca-certificates.crt}) is about 220 KiB and a certificate chain with its key a
 * few KiB, so the cap leaves room for any real PEM file while keeping a mistake cheap. The file is
 * parsed line by line in one pass (time linear in its size, whatever it holds): a
 * {@code -----BEGIN label-----} line opens a block, the matching {@code -----END label-----} line
 * closes it; a block never closed is ignored, as is a block opened again by a later BEGIN line.
 *
 * <p>Every problem is an {@link IllegalArgumentException} whose message starts with the role and
 * path of the file ({@code "key file /etc/tls/key.pem: ..."}) and says what is wrong. Stateless
 * and thread-safe.
 */
final class Pem {
    /**
     * The largest PEM file read: 1 MiB, about four times a system CA bundle with every trusted root.
     */
    static final int MAX_FILE_BYTES = 1 << 20;

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private static final String RSA_OID = "1.2.840.113549.1.1.1";
    private static final String EC_OID = "1.2.840.10045.2.1";
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            RSA_OID,
            "RSA",
            "1.2.840.113549.1.1.10",
            "RSASSA-PSS",
            EC_OID,
            "EC",
            "1.3.101.112",
            "Ed25519",
            "1.3.101.113",
            "Ed448",
            "1.2.840.10040.4.1",
            "DSA");

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int NULL = 0x05;
    private static final int OID = 0x06;
    private static final int CONTEXT_0 = 0xA0;

    private Pem() {}

    /**
     * The certificates of the file at {@code path}, in file order.
     *
     * @param role names the file in messages ("cert", "ca")
     * @throws IllegalArgumentException if the file is missing or unreadable, holds no
     *                                  {@code CERTIFICATE} block, or a block is not an X.509 certificate
     */
    static List<X509Certificate> readCertificates(String role, Path path) {
        List<Block> blocks = blocks(role, path);
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 CertificateFactory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks) {
            if (!block.label().equals("CERTIFICATE")) {
                continue;
            }
            byte[] der = block.decode(role, path);
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw problem(
                        role,
                        path,
                        "certificate #" + (certificates.size() + 1) + " is not a valid X.509 certificate: "
                                + e.getMessage(),
                        e);
            }
        }
        if (certificates.isEmpty()) {
            throw problem(
                    role,
                    path,
                    "no certificate inside (expected a -----BEGIN CERTIFICATE----- block; found " + labels(blocks)
                            + ")",
                    null);
        }
        return List.copyOf(certificates);
    }

    /**
     * The one private key in the file at {@code path}.
     *
     * @param role names the file in messages ("key")
     * @throws IllegalArgumentException if the file is missing or unreadable, holds no or several
     *                                  private keys, the key is encrypted, malformed or of an
     *                                  unsupported algorithm
     */
    static PrivateKey readPrivateKey(String role, Path path) {
        List<Block> blocks = blocks(role, path);
        List<Block> keys = new ArrayList<>();
        for (Block block : blocks) {
            if (block.label().endsWith("PRIVATE KEY")) {
                keys.add(block);
            }
        }
        if (keys.isEmpty()) {
            throw problem(
                    role,
                    path,
                    "no private key inside (expected a -----BEGIN PRIVATE KEY-----, "
                            + "RSA PRIVATE KEY or EC PRIVATE KEY block; found " + labels(blocks) + ")",
                    null);
        }
        if (keys.size() > 1) {
            throw problem(role, path, "more than one private key inside (" + labels(keys) + "); keep only one", null);
        }
        Block block = keys.get(0);
        if (block.label().equals("ENCRYPTED PRIVATE KEY") || block.hasHeaders()) {
            // No password option on purpose: a passphrase would have to live next to the key anyway.
            throw problem(
                    role,
                    path,
                    "the private key is encrypted, which is not supported; decrypt it first, "
                            + "e.g. openssl pkey -in ENCRYPTED.pem -out KEY.pem",
                    null);
        }
        byte[] der = block.decode(role, path);
        byte[] pkcs8 =
                switch (block.label()) {
                    case "PRIVATE KEY" -> der;
                    case "RSA PRIVATE KEY" -> pkcs1ToPkcs8(role, path, der);
                    case "EC PRIVATE KEY" -> sec1ToPkcs8(role, path, der);
                    default ->
                        throw problem(
                                role,
                                path,
                                "unsupported key format " + block.label()
                                        + " (supported: PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY)",
                                null);
                };
        String oid = pkcs8AlgorithmOid(role, path, pkcs8);
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw problem(role, path, "unsupported private key algorithm (OID " + oid + ")", null);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (NoSuchAlgorithmException e) {
            throw problem(role, path, "this JDK cannot read " + algorithm + " keys", e);
        } catch (GeneralSecurityException e) {
            throw problem(role, path, "not a valid " + algorithm + " private key: " + e.getMessage(), e);
        }
    }

    /** The message every failure of this class uses: role, path, then what is wrong. */
    static IllegalArgumentException problem(String role, Path path, String what, Throwable cause) {
        return new IllegalArgumentException(role + " file " + path + ": " + what, cause);
    }

    private static List<Block> blocks(String role, Path path) {
        List<Block> blocks = new ArrayList<>();
        String unclosed = parse(read(role, path), blocks);
        if (blocks.isEmpty()) {
            throw problem(
                    role,
                    path,
                    "not a PEM file: no -----BEGIN ...----- / -----END ...----- block"
                            + (unclosed == null
                                    ? ""
                                    : " (the -----BEGIN " + unclosed + "----- block has no -----END " + unclosed
                                            + "----- line)")
                            + " (a DER file can be converted with openssl x509 -inform der / openssl pkey -inform der)",
                    null);
        }
        return blocks;
    }

    /**
     * The bytes of the file, refusing what is not a regular file before opening it (opening a FIFO
     * blocks until a writer comes) and reading at most one byte past the cap (a file may grow, and
     * some files report no size).
     */
    private static byte[] read(String role, Path path) {
        if (!Files.exists(path)) {
            throw problem(role, path, "does not exist", null);
        }
        if (!Files.isRegularFile(path)) {
            throw problem(
                    role,
                    path,
                    "cannot be read: not a regular file (a directory, a device or a FIFO); give the path of a PEM file",
                    null);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw problem(role, path, "does not exist", e);
        } catch (AccessDeniedException e) {
            throw problem(role, path, "cannot be read: access denied", e);
        } catch (IOException e) {
            throw problem(role, path, "cannot be read: " + e, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw problem(
                    role,
                    path,
                    "larger than the limit of " + MAX_FILE_BYTES + " bytes (1 MiB) for a PEM file; "
                            + "is it the right file?",
                    null);
        }
        return bytes;
    }

    /**
     * Adds the blocks of {@code bytes} to {@code blocks} in one pass over its lines; no regular
     * expression, so no backtracking on odd input.
     *
     * @return the label of a block left open at the end, or null
     */
    private static String parse(byte[] bytes, List<Block> blocks) {
        // PEM is ASCII; ISO-8859-1 maps every byte, so binary garbage cannot make decoding fail.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String label = null; // the open block's label, or null outside a block
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int newline = text.indexOf('\n', at);
            int next = newline < 0 ? text.length() : newline + 1;
            String line =
                    text.substring(at, newline < 0 ? text.length() : newline).strip();
            at = next;
            String begun = label(line, BEGIN);
            if (begun != null) { // a BEGIN inside an open block abandons that block
                label = begun;
                body.setLength(0);
            } else if (label != null) {
                if (line.equals(END + label + DASHES)) {
                    blocks.add(new Block(label, body.toString()));
                    label = null;
                    body.setLength(0);
                } else {
                    body.append(line).append('\n');
                }
            }
        }
        return label;
    }

    /** The label of a {@code -----BEGIN label-----} line (for {@code prefix} BEGIN), else null. */
    private static String label(String line, String prefix) {
        if (!line.startsWith(prefix)
                || !line.endsWith(DASHES)
                || line.length() < prefix.length() + DASHES.length() + 1) {
            return null;
        }
        String label = line.substring(prefix.length(), line.length() - DASHES.length());
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ')) {
                return null;
            }
        }
        return label;
    }

    private static String labels(List<Block> blocks) {
        return blocks.stream().map(Block::label).toList().toString();
    }

    /** PKCS#1 RSAPrivateKey to PKCS#8: {@code SEQUENCE { 0, SEQUENCE { rsaEncryption, NULL }, OCTET STRING pkcs1 }}. */
    private static byte[] pkcs1ToPkcs8(String role, Path path, byte[] pkcs1) {
        // Checks that the block is a DER SEQUENCE at all, so that garbage is reported as such.
        new Der(role, path, pkcs1).element(SEQUENCE);
        byte[] algorithm = Der.encode(SEQUENCE, Der.encode(OID, Der.oid(RSA_OID)), Der.encode(NULL));
        return Der.encode(SEQUENCE, Der.encode(INTEGER, new byte[] {0}), algorithm, Der.encode(OCTET_STRING, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey ({@code SEQUENCE { 1, OCTET STRING d, [0] curve OID, [1] public key }}) to
     * PKCS#8, moving the curve into the algorithm identifier where the JDK looks for it.
     */
    private static byte[] sec1ToPkcs8(String role, Path path, byte[] sec1) {
        Der key = new Der(role, path, sec1).element(SEQUENCE);
        key.element(INTEGER);
        key.element(OCTET_STRING);
        byte[] curve = null;
        while (key.hasMore()) {
            int tag = key.peekTag();
            Der field = key.element(tag);
            if (tag == CONTEXT_0) {
                if (field.peekTag() != OID) {
                    throw problem(
                            role,
                            path,
                            "the EC key has explicit curve parameters; only named curves are supported",
                            null);
                }
                curve = field.raw(OID);
            }
        }
        if (curve == null) {
            throw problem(role, path, "the EC PRIVATE KEY does not name its curve (no [0] parameters)", null);
        }
        byte[] algorithm = Der.encode(SEQUENCE, Der.encode(OID, Der.oid(EC_OID)), curve);
        return Der.encode(SEQUENCE, Der.encode(INTEGER, new byte[] {0}), algorithm, Der.encode(OCTET_STRING, sec1));
    }

    /** The algorithm OID of a PKCS#8 PrivateKeyInfo: {@code SEQUENCE { version, SEQUENCE { OID, ... }, ... }}. */
    private static String pkcs8AlgorithmOid(String role, Path path, byte[] pkcs8) {
        Der info = new Der(role, path, pkcs8).element(SEQUENCE);
        info.element(INTEGER);
        return Der.oidString(info.element(SEQUENCE).element(OID).content());
    }

    /** One PEM block: its label and its body (base64, possibly after RFC 1421 headers). */
    private record Block(String label, String body) {
        boolean hasHeaders() {
            return body.contains(":");
        }

        byte[] decode(String role, Path path) {
            byte[] der;
            try {
                der = Base64.getDecoder().decode(body.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw problem(role, path, "the " + label + " block is not valid base64: " + e.getMessage(), e);
            }
            if (der.length == 0) {
                throw problem(role, path, "the " + label + " block is empty", null);
            }
            return der;
        }
    }

    /**
     * Just enough DER for the key conversions: definite lengths, single-byte tags. A reader is a
     * window [pos, end) over the bytes; {@link #element} consumes one element of an expected tag
     * and returns a reader over its content.
     */
    private static final class Der {
        private final String role;
        private final Path path;
        private final byte[] bytes;
        private final int start;
        private final int end;
        private int pos;

        Der(String role, Path path, byte[] bytes) {
            this(role, path, bytes, 0, bytes.length);
        }

        private Der(String role, Path path, byte[] bytes, int start, int end) {
            this.role = role;
            this.path = path;
            this.bytes = bytes;
            this.start = start;
            this.end = end;
            this.pos = start;
        }

        boolean hasMore() {
            return pos < end;
        }

        int peekTag() {
            if (pos >= end) {
                throw malformed("unexpected end of data");
            }
            return bytes[pos] & 0xFF;
        }

        /** Consumes the next element, which must have {@code tag}; returns a reader over its content. */
        Der element(int tag) {
            int found = peekTag();
            if (found != tag) {
                throw malformed(String.format("expected tag 0x%02X, found 0x%02X", tag, found));
            }
            int at = pos + 1;
            if (at >= end) {
                throw malformed("truncated length");
            }
            int first = bytes[at++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count == 0 || count > 4 || at + count > end) {
                    throw malformed("unsupported or truncated length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[at++] & 0xFF);
                }
            }
            if (length > end - at) {
                throw malformed("length " + length + " runs past the end");
            }
            pos = at + (int) length;
            return new Der(role, path, bytes, at, pos);
        }

        /** Consumes the next element of {@code tag} and returns its whole encoding, tag and length included. */
        byte[] raw(int tag) {
            int from = pos;
            element(tag);
            return Arrays.copyOfRange(bytes, from, pos);
        }

        byte[] content() {
            return Arrays.copyOfRange(bytes, start, end);
        }

        private IllegalArgumentException malformed(String what) {
            return problem(role, path, "the key is not valid DER: " + what, null);
        }

        static byte[] encode(int tag, byte[]... parts) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                content.writeBytes(part);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int length = content.size();
            if (length < 0x80) {
                out.write(length);
            } else {
                int count = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
                out.write(0x80 | count);
                for (int i = count - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(content.toByteArray());
            return out.toByteArray();
        }

        /** The content octets of an OID given in dotted form (only the constants above). */
        static byte[] oid(String dotted) {
            String[] arcs = dotted.split("\\.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
            for (int i = 2; i < arcs.length; i++) {
                writeBase128(out, Long.parseLong(arcs[i]));
            }
            return out.toByteArray();
        }

        private static void writeBase128(ByteArrayOutputStream out, long value) {
            int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
            for (int i = groups - 1; i >= 0; i--) {
                int group = (int) ((value >>> (7 * i)) & 0x7F);
                out.write(i > 0 ? group | 0x80 : group);
            }
        }

        /** The dotted form of OID content octets. */
        static String oidString(byte[] content) {
            StringBuilder dotted = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (byte b : content) {
                value = (value << 7) | (b & 0x7F);
                if ((b & 0x80) == 0) {
                    if (first) {
                        int top = (int) Math.min(value / 40, 2);
                        dotted.append(top).append('.').append(value - top * 40L);
                        first = false;
                    } else {
                        dotted.append('.').append(value);
                    }
                    value = 0;
                }
            }
            return dotted.toString();
        }
    }
}
