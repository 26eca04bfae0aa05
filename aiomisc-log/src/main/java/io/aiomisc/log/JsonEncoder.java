package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * aiomisc's {@code json} format: one JSON object per record and line, written with Jackson's
 * streaming generator.
 *
 * <pre>{@code
 * {"@fields":{"errno":0,"code_file":"Main.java","code_func":"main","code_line":12,
 *   "code_module":"com.example.Main","identifier":"com.example.Main","message_raw":"Hello {}",
 *   "pid":4242,"thread_name":"main","argument_0":"world","request_id":"r-1"},
 *  "msg":"Hello world","level":"info","@timestamp":1763773371.123456}
 * }</pre>
 *
 * <p>Top level: {@code msg} (the formatted message), {@code level} ({@code debug}, {@code info},
 * {@code warn}, {@code error}, {@code fatal}; {@code trace} below debug), {@code @timestamp} (epoch
 * seconds with microseconds, or the date format's text when one is given) and, with an
 * exception, {@code stackTrace} (the whole trace). {@code @fields}: {@code errno} (255 with an
 * exception, else 0), the caller's {@code code_file} (the file name only), {@code code_func},
 * {@code code_line} (a number) and {@code code_module} (the class), {@code identifier} (the logger
 * name), {@code message_raw} (the message pattern), {@code pid}, {@code thread_name},
 * {@code argument_0..n} (each argument's {@code toString()}), then every MDC entry and every
 * key-value pair of SLF4J's fluent API ({@code log.atInfo().addKeyValue("user", id)}), under its
 * own key ({@code extra_<key>} if the key is one of the names above). Thread-safe.
 */
public final class JsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NEWLINE = {'\n'};
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<String> RESERVED = Set.of(
            "errno",
            "code_file",
            "code_func",
            "code_line",
            "code_module",
            "identifier",
            "message_raw",
            "pid",
            "thread_name");

    private final JsonFactory factory = JsonFactory.builder().build();
    private final DateTimeFormatter dates;
    private volatile boolean callerData;

    /** An encoder with epoch-seconds timestamps and the caller's location. */
    public JsonEncoder() {
        this(null, true);
    }

    /**
     * @param dates      the {@code @timestamp} format, or null for epoch seconds
     * @param callerData whether to write the caller's {@code code_*} fields (finding the caller
     *                   is most of the cost of a record)
     */
    JsonEncoder(DateTimeFormatter dates, boolean callerData) {
        this.dates = dates;
        this.callerData = callerData;
    }

    /**
     * Whether to write the caller's {@code code_file}, {@code code_func}, {@code code_line} and
     * {@code code_module}. Default true. Finding the caller is most of a record's cost; it is
     * found on the logging thread (by a {@link BufferedAppender} with {@code callerData}, or here
     * when the encoder runs on that thread), and left out when neither can.
     *
     * @param callerData whether to write the caller's fields
     */
    public void setCallerData(boolean callerData) {
        this.callerData = callerData;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            write(json, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: an in-memory stream
        }
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    private void write(JsonGenerator json, ILoggingEvent event) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("@fields");
        json.writeNumberField("errno", event.getThrowableProxy() != null ? 255 : 0);
        StackTraceElement caller = callerData ? Callers.of(event) : null;
        if (caller != null) {
            json.writeStringField("code_file", caller.getFileName());
            json.writeStringField("code_func", caller.getMethodName());
            json.writeNumberField("code_line", caller.getLineNumber());
            json.writeStringField("code_module", caller.getClassName());
        }
        json.writeStringField("identifier", event.getLoggerName());
        json.writeStringField("message_raw", event.getMessage());
        json.writeNumberField("pid", PID);
        json.writeStringField("thread_name", event.getThreadName());
        Object[] arguments = event.getArgumentArray();
        if (arguments != null) {
            for (int i = 0; i < arguments.length; i++) {
                json.writeStringField("argument_" + i, String.valueOf(arguments[i]));
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> entry : mdc.entrySet()) {
                json.writeStringField(extraKey(entry.getKey()), entry.getValue());
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                json.writeFieldName(extraKey(pair.key));
                writeValue(json, pair.value);
            }
        }
        json.writeEndObject();
        json.writeStringField("msg", event.getFormattedMessage());
        json.writeStringField("level", Severity.of(event).jsonName());
        if (dates != null) {
            json.writeStringField("@timestamp", dates.format(event.getInstant()));
        } else {
            json.writeFieldName("@timestamp");
            json.writeNumber(epochSeconds(event.getInstant()));
        }
        if (event.getThrowableProxy() != null) {
            json.writeStringField("stackTrace", Traces.full(event.getThrowableProxy()));
        }
        json.writeEndObject();
    }

    private static String extraKey(String key) {
        return RESERVED.contains(key) ? "extra_" + key : key;
    }

    /** Numbers and booleans as themselves, everything else as its string. */
    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Short s -> json.writeNumber(s);
            case Byte b -> json.writeNumber(b);
            case Double d when Double.isFinite(d) -> json.writeNumber(d);
            case Float f when Float.isFinite(f) -> json.writeNumber(f);
            case java.math.BigDecimal d -> json.writeNumber(d);
            case java.math.BigInteger i -> json.writeNumber(i);
            case Boolean b -> json.writeBoolean(b);
            default -> json.writeString(String.valueOf(value));
        }
    }

    /** {@code seconds.micros}, as a JSON number's text. */
    private static String epochSeconds(Instant instant) {
        long micros = instant.getNano() / 1000;
        String fraction = Long.toString(1_000_000 + micros).substring(1);
        return instant.getEpochSecond() + "." + fraction;
    }
}
