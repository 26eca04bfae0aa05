package io.aiomisc.nats;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The frames of a distributed pool and their signatures: every task, result and cancellation carries
 * an HMAC-SHA256, with the pool's shared secret, over its kind, its identifying headers and its
 * payload. A frame whose signature is missing or wrong is refused.
 */
final class Frames {
    static final String TASK_ID = "Aiomisc-Task";
    static final String PRODUCER = "Aiomisc-Producer";
    static final String TIMEOUT = "Aiomisc-Timeout-Ms";
    static final String OUTCOME = "Aiomisc-Outcome";
    static final String NODE = "Aiomisc-Node";
    static final String DELIVERY = "Aiomisc-Delivery";
    static final String SIGNATURE = "Aiomisc-Hmac";
    static final String INTERRUPT = "Aiomisc-Interrupt";

    /** A result's outcome: the task returned a value, or threw (the payload is the exception). */
    static final String VALUE = "value";

    static final String ERROR = "error";

    /** The smallest and largest {@code maxFrameSize} of a pool or node. */
    static final int MIN_FRAME_SIZE = 1024;

    static final int MAX_FRAME_SIZE = 64 << 20;

    private final SecretKeySpec key;

    Frames(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Headers of a task frame, signed. */
    Headers task(String taskId, String producer, long timeoutMillis, byte[] payload) {
        Headers headers =
                new Headers().put(TASK_ID, taskId).put(PRODUCER, producer).put(TIMEOUT, Long.toString(timeoutMillis));
        return headers.put(SIGNATURE, sign(payload, "task", taskId, producer, Long.toString(timeoutMillis)));
    }

    /** True if {@code message} is a task frame signed with our secret. */
    boolean verifyTask(Message message) {
        return verify(message, "task", TASK_ID, PRODUCER, TIMEOUT);
    }

    /** Headers of a result frame, signed. */
    Headers result(String taskId, String outcome, String node, long delivery, byte[] payload) {
        Headers headers = new Headers()
                .put(TASK_ID, taskId)
                .put(OUTCOME, outcome)
                .put(NODE, node)
                .put(DELIVERY, Long.toString(delivery));
        return headers.put(SIGNATURE, sign(payload, "result", taskId, outcome, node, Long.toString(delivery)));
    }

    /** True if {@code message} is a result frame signed with our secret. */
    boolean verifyResult(Message message) {
        return verify(message, "result", TASK_ID, OUTCOME, NODE, DELIVERY);
    }

    /**
     * Headers of a cancellation (an empty payload), signed: every node skips the task if it has not
     * started it; the node running it interrupts it if {@code interrupt}.
     */
    Headers cancel(String taskId, boolean interrupt) {
        String flag = Boolean.toString(interrupt);
        return new Headers()
                .put(TASK_ID, taskId)
                .put(INTERRUPT, flag)
                .put(SIGNATURE, sign(new byte[0], "cancel", taskId, flag));
    }

    /** True if {@code message} is a cancellation signed with our secret. */
    boolean verifyCancel(Message message) {
        return verify(message, "cancel", TASK_ID, INTERRUPT);
    }

    /** Headers of a node's presence announcement (an empty payload), signed. */
    Headers presence(String node) {
        return new Headers().put(NODE, node).put(SIGNATURE, sign(new byte[0], "presence", node));
    }

    /** True if {@code message} is a presence announcement signed with our secret. */
    boolean verifyPresence(Message message) {
        return verify(message, "presence", NODE);
    }

    /** Checks a {@code maxFrameSize} setting; returns it. */
    static int requireFrameSize(int bytes) {
        if (bytes < MIN_FRAME_SIZE || bytes > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException(
                    "maxFrameSize must be between " + MIN_FRAME_SIZE + " and " + MAX_FRAME_SIZE + ": " + bytes);
        }
        return bytes;
    }

    static String header(Message message, String name) {
        Headers headers = message.getHeaders();
        return headers == null ? null : headers.getFirst(name);
    }

    private boolean verify(Message message, String kind, String... names) {
        if (!message.hasHeaders()) {
            return false;
        }
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = header(message, names[i]);
            if (values[i] == null) {
                return false;
            }
        }
        String signature = header(message, SIGNATURE);
        if (signature == null) {
            return false;
        }
        byte[] data = message.getData() == null ? new byte[0] : message.getData();
        byte[] expected = sign(data, kind, values).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(byte[] payload, String kind, String... fields) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(kind.getBytes(StandardCharsets.UTF_8));
            for (String field : fields) {
                mac.update((byte) 0);
                mac.update(field.getBytes(StandardCharsets.UTF_8));
            }
            mac.update((byte) 0);
            mac.update(payload);
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e); // every JDK has it
        }
    }
}
