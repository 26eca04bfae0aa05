package io.aiomisc.internal.process;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The mutual proof that opens every connection, before anything is deserialized:
 * <ol>
 * <li>parent → child {@code CHALLENGE(serverNonce)} (32 random bytes);</li>
 * <li>child → parent {@code AUTH(workerId, pid, clientNonce, HMAC-SHA256(cookie, "aiomisc-worker"
 * ‖ workerId ‖ pid ‖ serverNonce ‖ clientNonce))};</li>
 * <li>parent → child {@code AUTH_OK(HMAC-SHA256(cookie, "aiomisc-pool" ‖ serverNonce ‖
 * clientNonce))} or {@code AUTH_FAIL}.</li>
 * </ol>
 * The cookie (128 random bytes) reaches the child on its stdin only. Fresh nonces on both sides
 * make a recorded exchange useless for a replay, and the child checks the parent's proof before it
 * accepts work from it.
 */
public final class Handshake {
    /** Bytes of the cookie. */
    public static final int COOKIE_SIZE = 128;
    /** Bytes of each nonce. */
    public static final int NONCE_SIZE = 32;
    /** Largest handshake frame body accepted before a peer has proved itself. */
    public static final int MAX_HANDSHAKE_BODY = 256;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {}

    /** A fresh random cookie. */
    public static byte[] newCookie() {
        return random(COOKIE_SIZE);
    }

    /** {@code size} random bytes. */
    public static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** What the parent learnt about an authenticated child. */
    public record Peer(int workerId, long pid) {}

    /**
     * The parent's side. Returns the authenticated peer, or throws after sending {@code AUTH_FAIL}
     * (a wrong proof) or on a malformed frame; the caller closes the channel either way.
     *
     * @throws FrameException on a malformed frame or a wrong proof
     */
    public static Peer serve(FrameChannel channel, byte[] cookie) throws IOException {
        channel.maxBody(MAX_HANDSHAKE_BODY);
        byte[] serverNonce = random(NONCE_SIZE);
        channel.send(new Frame(Frame.CHALLENGE, serverNonce));
        Frame auth = channel.receive();
        if (auth.type() != Frame.AUTH || auth.body().length != 4 + 8 + NONCE_SIZE + 32) {
            throw new FrameException(
                    "expected an AUTH frame, got type " + auth.type() + " of " + auth.body().length + " bytes");
        }
        DataInputStream in = auth.fields();
        int workerId = in.readInt();
        long pid = in.readLong();
        byte[] clientNonce = in.readNBytes(NONCE_SIZE);
        byte[] proof = in.readNBytes(32);
        byte[] expected = childProof(cookie, workerId, pid, serverNonce, clientNonce);
        if (!MessageDigest.isEqual(expected, proof)) {
            channel.send(new Frame(Frame.AUTH_FAIL, new byte[0]));
            throw new FrameException("wrong proof from a peer claiming worker " + workerId + ", pid " + pid);
        }
        channel.send(new Frame(Frame.AUTH_OK, parentProof(cookie, serverNonce, clientNonce)));
        return new Peer(workerId, pid);
    }

    /**
     * The child's side.
     *
     * @throws FrameException when the parent refuses the proof or cannot prove itself
     */
    public static void prove(FrameChannel channel, byte[] cookie, int workerId, long pid) throws IOException {
        channel.maxBody(MAX_HANDSHAKE_BODY);
        Frame challenge = channel.receive();
        if (challenge.type() != Frame.CHALLENGE || challenge.body().length != NONCE_SIZE) {
            throw new FrameException("expected a CHALLENGE frame, got type " + challenge.type());
        }
        byte[] serverNonce = challenge.body();
        byte[] clientNonce = random(NONCE_SIZE);
        byte[] proof = childProof(cookie, workerId, pid, serverNonce, clientNonce);
        channel.send(Frame.of(Frame.AUTH, out -> {
            out.writeInt(workerId);
            out.writeLong(pid);
            out.write(clientNonce);
            out.write(proof);
        }));
        Frame answer = channel.receive();
        if (answer.type() != Frame.AUTH_OK) {
            throw new FrameException("the parent refused this worker's proof (frame type " + answer.type() + ")");
        }
        if (!MessageDigest.isEqual(parentProof(cookie, serverNonce, clientNonce), answer.body())) {
            throw new FrameException("the peer could not prove that it is the parent");
        }
    }

    private static byte[] childProof(byte[] cookie, int workerId, long pid, byte[] serverNonce, byte[] clientNonce) {
        byte[] message = new byte[14 + 4 + 8 + serverNonce.length + clientNonce.length];
        ByteBuffer.wrap(message)
                .put("aiomisc-worker".getBytes(StandardCharsets.US_ASCII))
                .putInt(workerId)
                .putLong(pid)
                .put(serverNonce)
                .put(clientNonce);
        return hmacSha256(cookie, message);
    }

    private static byte[] parentProof(byte[] cookie, byte[] serverNonce, byte[] clientNonce) {
        byte[] message = new byte[12 + serverNonce.length + clientNonce.length];
        ByteBuffer.wrap(message)
                .put("aiomisc-pool".getBytes(StandardCharsets.US_ASCII))
                .put(serverNonce)
                .put(clientNonce);
        return hmacSha256(cookie, message);
    }

    /**
     * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256 {@link MessageDigest}. Not {@code javax.crypto.Mac}:
     * the JCE's first use reads the crypto policy files and costs a child JVM tens of milliseconds of
     * start-up; the digest is the same JDK implementation either way (checked against {@code Mac}
     * with RFC 4231's test vectors in the tests).
     */
    public static byte[] hmacSha256(byte[] key, byte[] message) {
        MessageDigest sha256 = sha256();
        byte[] block = new byte[64];
        byte[] k = key.length > block.length ? sha256.digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        byte[] pad = new byte[64];
        for (int i = 0; i < 64; i++) {
            pad[i] = (byte) (block[i] ^ 0x36);
        }
        sha256.update(pad);
        byte[] inner = sha256.digest(message);
        for (int i = 0; i < 64; i++) {
            pad[i] = (byte) (block[i] ^ 0x5c);
        }
        sha256.update(pad);
        return sha256.digest(inner);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e); // every JDK has it
        }
    }
}
