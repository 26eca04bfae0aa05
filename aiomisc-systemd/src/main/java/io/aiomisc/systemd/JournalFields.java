package io.aiomisc.systemd;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.aiomisc.log.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One log record in the journal's native protocol (systemd's {@code sd_journal_send}, documented
 * in "Native Journal Protocol"): a field per line as {@code KEY=value\n}; a value with a newline as
 * {@code KEY\n}, its length as a 64-bit little-endian number, the bytes and {@code \n}.
 *
 * <p>Fields: {@code MESSAGE}, {@code PRIORITY} (syslog severity: 2 critical, 3 error, 4 warning,
 * 6 info, 7 debug and trace), {@code SYSLOG_IDENTIFIER}, {@code CODE_FILE}, {@code CODE_LINE},
 * {@code CODE_FUNC} (when the caller is known), {@code LOGGER}, {@code THREAD},
 * {@code EXCEPTION} (the stack trace, when there is one) and each MDC entry as an upper-cased field
 * (characters other than {@code A-Z 0-9 _} become {@code _}, a leading {@code _} or digit gets an
 * {@code X} in front, at most 64 characters; entries that would replace one of the fields above
 * are left out, as are empty names).
 */
final class JournalFields {
    /** The fields this format writes itself; MDC entries may not replace them. */
    static final Set<String> OWN = Set.of(
            "MESSAGE",
            "PRIORITY",
            "SYSLOG_IDENTIFIER",
            "CODE_FILE",
            "CODE_LINE",
            "CODE_FUNC",
            "LOGGER",
            "THREAD",
            "EXCEPTION");

    private static final int MAX_NAME = 64;
    /** What ends a value that was cut. */
    static final String CUT_MARK = "…[truncated]";

    private JournalFields() {}

    /**
     * The datagram of {@code event}.
     *
     * @param caller the caller's frame, or null when unknown
     */
    static byte[] encode(ILoggingEvent event, String identifier, StackTraceElement caller) {
        return encode(event, identifier, caller, Integer.MAX_VALUE);
    }

    /**
     * The datagram of {@code event} with every value longer than {@code limit} bytes cut to it and
     * {@value #CUT_MARK} appended.
     */
    static byte[] encode(ILoggingEvent event, String identifier, StackTraceElement caller, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, limit, "MESSAGE", event.getFormattedMessage());
        field(out, limit, "PRIORITY", Integer.toString(Severity.of(event).syslogSeverity()));
        field(out, limit, "SYSLOG_IDENTIFIER", identifier);
        if (caller != null) {
            if (caller.getFileName() != null) {
                field(out, limit, "CODE_FILE", caller.getFileName());
            }
            if (caller.getLineNumber() > 0) {
                field(out, limit, "CODE_LINE", Integer.toString(caller.getLineNumber()));
            }
            field(out, limit, "CODE_FUNC", caller.getClassName() + "." + caller.getMethodName());
        }
        field(out, limit, "LOGGER", event.getLoggerName());
        field(out, limit, "THREAD", event.getThreadName());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            field(out, limit, "EXCEPTION", ThrowableProxyUtil.asString(thrown));
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> entry : mdc.entrySet()) {
                String name = fieldName(entry.getKey());
                if (name != null && !OWN.contains(name) && entry.getValue() != null) {
                    field(out, limit, name, entry.getValue());
                }
            }
        }
        return out.toByteArray();
    }

    /** A journal field name for {@code key}, or null when none can be made. */
    static String fieldName(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        StringBuilder name = new StringBuilder(Math.min(key.length() + 1, MAX_NAME));
        String upper = key.toUpperCase(Locale.ROOT);
        for (int i = 0; i < upper.length() && name.length() < MAX_NAME; i++) {
            char c = upper.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            name.append(allowed ? c : '_');
        }
        char first = name.charAt(0);
        if (first == '_' || (first >= '0' && first <= '9')) { // journald reserves "_..." for itself
            name.insert(0, 'X');
            name.setLength(Math.min(name.length(), MAX_NAME));
        }
        return name.toString();
    }

    private static void field(ByteArrayOutputStream out, int limit, String name, String value) {
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limit) {
            byte[] mark = CUT_MARK.getBytes(StandardCharsets.UTF_8);
            byte[] cut = java.util.Arrays.copyOf(bytes, limit + mark.length);
            System.arraycopy(mark, 0, cut, limit, mark.length);
            bytes = cut;
        }
        out.writeBytes(key);
        if (indexOfNewline(bytes) < 0) {
            out.write('=');
            out.writeBytes(bytes);
        } else {
            out.write('\n');
            long length = bytes.length;
            for (int i = 0; i < 8; i++) {
                out.write((int) (length >>> (8 * i)) & 0xff);
            }
            out.writeBytes(bytes);
        }
        out.write('\n');
    }

    private static int indexOfNewline(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
