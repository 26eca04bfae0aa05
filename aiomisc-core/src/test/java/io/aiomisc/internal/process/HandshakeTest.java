package io.aiomisc.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private FrameChannel parent;
    private FrameChannel child;

    @BeforeEach
    void connect() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            child = new FrameChannel(SocketChannel.open(server.getLocalAddress()), 1024);
            parent = new FrameChannel(server.accept(), 1024);
        }
    }

    @AfterEach
    void close() {
        parent.close();
        child.close();
    }

    // RFC 4231 section 4: key, data, HMAC-SHA-256
    @Test
    void hmacMatchesRfc4231Case1AndTheJce() throws Exception {
        byte[] key = filled(20, 0x0b);
        byte[] data = "Hi There".getBytes(StandardCharsets.US_ASCII);
        check(key, data, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }

    @Test
    void hmacMatchesRfc4231Case2AndTheJce() throws Exception {
        byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        check(key, data, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void hmacMatchesRfc4231Case6AndTheJce() throws Exception {
        byte[] key = filled(131, 0xaa); // longer than the block: hashed first
        byte[] data = "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII);
        check(key, data, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void hmacMatchesRfc4231Case7AndTheJce() throws Exception {
        byte[] key = filled(131, 0xaa);
        byte[] data = ("This is a test using a larger than block-size key and a larger than block-size data."
                        + " The key needs to be hashed before being used by the HMAC algorithm.")
                .getBytes(StandardCharsets.US_ASCII);
        check(key, data, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    }

    @Test
    void hmacMatchesTheJceForTheCookieSize() throws Exception {
        byte[] cookie = Handshake.newCookie();
        byte[] message = Handshake.random(76);
        assertArrayEquals(jce(cookie, message), Handshake.hmacSha256(cookie, message));
    }

    @Test
    void theSameCookieAuthenticatesBothSides() throws Exception {
        byte[] cookie = Handshake.newCookie();
        CompletableFuture<Void> proved = CompletableFuture.runAsync(() -> {
            try {
                Handshake.prove(child, cookie, 3, 4242L);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Handshake.Peer peer = Handshake.serve(parent, cookie);
        proved.get(30, TimeUnit.SECONDS);
        assertEquals(new Handshake.Peer(3, 4242L), peer);
    }

    @Test
    void aWrongCookieFailsOnBothSides() throws Exception {
        byte[] cookie = Handshake.newCookie();
        byte[] wrong = cookie.clone();
        wrong[0] ^= 1;
        CompletableFuture<Void> proved = CompletableFuture.runAsync(() -> {
            try {
                Handshake.prove(child, wrong, 0, 1L);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        FrameException refused = assertThrows(FrameException.class, () -> Handshake.serve(parent, cookie));
        assertTrue(refused.getMessage().contains("wrong proof"), refused.getMessage());
        ExecutionException childSide = assertThrows(ExecutionException.class, () -> proved.get(30, TimeUnit.SECONDS));
        FrameException childRefused =
                assertInstanceOf(FrameException.class, childSide.getCause().getCause());
        assertTrue(childRefused.getMessage().contains("refused"), childRefused.getMessage());
    }

    @Test
    void theChildRefusesAParentThatCannotProveTheCookie() throws Exception {
        byte[] cookie = Handshake.newCookie();
        CompletableFuture<Void> proved = CompletableFuture.runAsync(() -> {
            try {
                Handshake.prove(child, cookie, 0, 1L);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // a fake parent: it can send a challenge and read the child's proof, but it does not know the
        // cookie, so its own proof is wrong
        parent.send(new Frame(Frame.CHALLENGE, Handshake.random(Handshake.NONCE_SIZE)));
        Frame auth = parent.receive();
        assertEquals(Frame.AUTH, auth.type());
        parent.send(new Frame(Frame.AUTH_OK, Handshake.random(32)));
        ExecutionException childSide = assertThrows(ExecutionException.class, () -> proved.get(30, TimeUnit.SECONDS));
        FrameException refused =
                assertInstanceOf(FrameException.class, childSide.getCause().getCause());
        assertTrue(refused.getMessage().contains("could not prove"), refused.getMessage());
    }

    @Test
    void aReplayedProofFailsAgainstAFreshChallenge() throws Exception {
        byte[] cookie = Handshake.newCookie();
        // a proof recorded from one exchange ...
        CompletableFuture<Void> proved = CompletableFuture.runAsync(() -> {
            try {
                Handshake.prove(child, cookie, 0, 7L);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        parent.send(new Frame(Frame.CHALLENGE, Handshake.random(Handshake.NONCE_SIZE)));
        Frame recorded = parent.receive();
        parent.close();
        assertThrows(ExecutionException.class, () -> proved.get(30, TimeUnit.SECONDS));

        // ... is replayed by an attacker against the real parent, which sends a fresh challenge
        child.close();
        connect();
        CompletableFuture<Void> replay = CompletableFuture.runAsync(() -> {
            try {
                child.receive(); // the challenge, ignored
                child.send(recorded);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThrows(FrameException.class, () -> Handshake.serve(parent, cookie));
        replay.get(30, TimeUnit.SECONDS);
        DataInputStream fields = recorded.fields();
        assertEquals(0, fields.readInt());
        assertEquals(7L, fields.readLong());
    }

    @Test
    void anOversizeHandshakeFrameIsRefusedWhateverTheChannelLimit() throws Exception {
        byte[] cookie = Handshake.newCookie();
        CompletableFuture<Void> big = CompletableFuture.runAsync(() -> {
            try {
                child.receive();
                child.send(new Frame(Frame.AUTH, new byte[Handshake.MAX_HANDSHAKE_BODY + 1]));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        FrameException e = assertThrows(FrameException.class, () -> Handshake.serve(parent, cookie));
        assertTrue(e.getMessage().contains("larger than the limit"), e.getMessage());
        big.get(30, TimeUnit.SECONDS);
    }

    private static void check(byte[] key, byte[] data, String expectedHex) throws Exception {
        byte[] expected = HexFormat.of().parseHex(expectedHex);
        assertArrayEquals(expected, jce(key, data), "the JCE disagrees with RFC 4231");
        assertArrayEquals(expected, Handshake.hmacSha256(key, data));
    }

    private static byte[] jce(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] filled(int size, int value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
