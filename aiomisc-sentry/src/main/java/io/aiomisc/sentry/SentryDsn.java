package io.aiomisc.sentry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A checked Sentry DSN, {@code scheme://publicKey[:secretKey]@host[:port]/[path/]projectId}, and
 * what must never be logged of it. Error messages name the part that is wrong, never the DSN.
 */
record SentryDsn(String dsn, String publicKey, String secretKey, String redacted) {
    /** What replaces a key in logs and messages. */
    static final String MASK = "***";

    /**
     * Checks {@code dsn}.
     *
     * @throws IllegalArgumentException without the DSN or its keys in the message, and without a
     *                                  cause (the URI parser's message quotes its input)
     */
    static SentryDsn parse(String dsn) {
        URI uri;
        try {
            uri = new URI(dsn.trim());
        } catch (URISyntaxException e) {
            throw malformed("not a valid URI (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw malformed("no scheme; expected http or https");
        }
        if (uri.isOpaque()) {
            // "key:secret@host/1" parses with the public key as its scheme: do not quote it
            throw malformed("no '//' after the scheme; expected http(s)://publicKey@host/projectId");
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            throw malformed("scheme must be http or https, not '" + scheme + "'");
        }
        String userInfo = uri.getRawUserInfo();
        if (uri.getHost() == null) {
            throw malformed("no host");
        }
        if (uri.getPort() > 65535) { // java.net.URI takes any int
            throw malformed("port out of range 0..65535: " + uri.getPort());
        }
        if (userInfo == null || userInfo.isEmpty() || userInfo.startsWith(":")) {
            throw malformed("no public key (the user part before '@')");
        }
        int colon = userInfo.indexOf(':');
        String publicKey = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String secretKey = colon < 0 ? null : userInfo.substring(colon + 1);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String projectId = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (projectId.isEmpty()) {
            throw malformed("no project id (the last part of the path)");
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String redacted = lower + "://" + MASK + "@" + uri.getHost() + port + path;
        return new SentryDsn(
                dsn.trim(), publicKey, secretKey == null || secretKey.isEmpty() ? null : secretKey, redacted);
    }

    /** The strings to mask in anything logged: the keys, longest first. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        secrets.add(dsn);
        if (secretKey != null) {
            secrets.add(publicKey + ":" + secretKey);
            secrets.add(secretKey);
        }
        secrets.add(publicKey);
        secrets.sort((a, b) -> b.length() - a.length());
        return secrets;
    }

    private static IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("Malformed Sentry DSN: " + why);
    }

    @Override
    public String toString() {
        return redacted;
    }
}
