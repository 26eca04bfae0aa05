package io.aiomisc.sentry;

import java.util.List;

/**
 * Masks a DSN's keys in text and throwables before they are logged. Immutable and thread-safe.
 */
final class Redactor {
    private final List<String> secrets;

    Redactor(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** {@code text} with every secret replaced by {@link SentryDsn#MASK}; null stays null. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, SentryDsn.MASK);
            }
        }
        return result;
    }

    boolean containsSecret(String text) {
        if (text == null) {
            return false;
        }
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code throwable} itself when neither it nor its causes and suppressed exceptions mention a
     * secret, else a copy of the chain with masked messages and the original stack traces.
     */
    Throwable redact(Throwable throwable) {
        if (throwable == null || !mentionsSecret(throwable, 0)) {
            return throwable;
        }
        return copy(throwable, 0);
    }

    private boolean mentionsSecret(Throwable throwable, int depth) {
        if (throwable == null || depth > 16) {
            return false;
        }
        if (containsSecret(throwable.getMessage()) || containsSecret(throwable.toString())) {
            return true;
        }
        for (Throwable suppressed : throwable.getSuppressed()) {
            if (mentionsSecret(suppressed, depth + 1)) {
                return true;
            }
        }
        return mentionsSecret(throwable.getCause(), depth + 1);
    }

    private Throwable copy(Throwable throwable, int depth) {
        RedactedException copy =
                new RedactedException(throwable.getClass().getName() + ": " + redact(throwable.getMessage()));
        copy.setStackTrace(throwable.getStackTrace());
        if (depth < 16) {
            if (throwable.getCause() != null) {
                copy.initCause(copy(throwable.getCause(), depth + 1));
            }
            for (Throwable suppressed : throwable.getSuppressed()) {
                copy.addSuppressed(copy(suppressed, depth + 1));
            }
        }
        return copy;
    }

    /** A throwable's stand-in whose message no longer holds a secret; it names the original class. */
    static final class RedactedException extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedException(String message) {
            super(message);
        }
    }
}
