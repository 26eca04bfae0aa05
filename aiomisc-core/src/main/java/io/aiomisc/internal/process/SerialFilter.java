package io.aiomisc.internal.process;

import java.io.ObjectInputFilter;
import java.util.Set;

/**
 * The deserialization filter of every payload between a pool and its workers.
 *
 * <p>Limits, always: stream depth {@value #MAX_DEPTH}, {@value #MAX_REFERENCES} references, and no
 * array longer than the payload has bytes (an array's length is read before its elements, so
 * without this a tiny frame could ask for gigabytes).
 *
 * <p>Classes: a user pattern ({@link ObjectInputFilter.Config#createFilter}), when given, is
 * consulted first: a class it rejects is rejected, one it allows is allowed (the pattern narrows
 * the default and may also extend it). Otherwise the default applies: the application's own
 * classes (loaded by a class loader other than the JDK's: the class path and module path, lambdas
 * and records included) and the JDK's value types — boxed primitives, strings, enums,
 * {@code java.math}, {@code java.time}, the common {@code java.util} collections, {@code UUID},
 * {@code URI}, serialized lambdas, and the JDK's exceptions from {@code java.*} packages. Any other JDK
 * class (the raw material of the known gadget chains) is rejected before an instance of it exists,
 * so its {@code readObject} never runs.
 */
public final class SerialFilter implements ObjectInputFilter {
    /** Deepest nesting of objects in one payload. */
    public static final int MAX_DEPTH = 200;
    /** Most object references in one payload. */
    public static final long MAX_REFERENCES = 10_000_000L;

    private static final Set<String> JDK_VALUE_TYPES = Set.of(
            "java.lang.Object", // only ever as an array's element type: Object is not serializable
            "java.lang.String",
            "java.lang.Boolean",
            "java.lang.Byte",
            "java.lang.Short",
            "java.lang.Integer",
            "java.lang.Long",
            "java.lang.Float",
            "java.lang.Double",
            "java.lang.Character",
            "java.lang.Number",
            "java.lang.Enum",
            "java.lang.Record",
            "java.lang.StackTraceElement",
            "java.lang.String$CaseInsensitiveComparator",
            "java.lang.invoke.SerializedLambda",
            "java.math.BigInteger",
            "java.math.BigDecimal",
            "java.math.MathContext",
            "java.math.RoundingMode",
            "java.net.URI",
            "java.util.UUID",
            "java.util.Date",
            "java.util.Locale",
            "java.util.Currency",
            "java.util.BitSet",
            "java.util.ArrayList",
            "java.util.LinkedList",
            "java.util.ArrayDeque",
            "java.util.Vector",
            "java.util.HashMap",
            "java.util.LinkedHashMap",
            "java.util.TreeMap",
            "java.util.IdentityHashMap",
            "java.util.EnumMap",
            "java.util.HashSet",
            "java.util.LinkedHashSet",
            "java.util.TreeSet",
            "java.util.EnumSet$SerializationProxy",
            "java.util.RegularEnumSet", // what the proxy resolves to, which the stream checks too
            "java.util.JumboEnumSet",
            "java.util.Arrays$ArrayList",
            "java.util.CollSer",
            "java.util.AbstractMap$SimpleEntry",
            "java.util.AbstractMap$SimpleImmutableEntry",
            "java.util.KeyValueHolder",
            "java.util.Map$Entry", // only as an array's element type: HashMap and HashSet check their table's size with
            // it
            "java.util.concurrent.ConcurrentHashMap",
            "java.util.concurrent.ConcurrentHashMap$Segment",
            // a Segment (ConcurrentHashMap's serialized form since Java 5) is a ReentrantLock
            "java.util.concurrent.locks.ReentrantLock",
            "java.util.concurrent.locks.ReentrantLock$Sync",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractOwnableSynchronizer",
            "java.util.concurrent.ConcurrentSkipListMap",
            "java.util.concurrent.ConcurrentSkipListSet",
            "java.util.concurrent.CopyOnWriteArrayList",
            "java.util.concurrent.CopyOnWriteArraySet",
            "java.util.concurrent.ConcurrentLinkedQueue",
            "java.util.concurrent.ConcurrentLinkedDeque",
            "java.util.concurrent.atomic.AtomicInteger",
            "java.util.concurrent.atomic.AtomicLong",
            "java.util.concurrent.atomic.AtomicBoolean",
            "java.util.concurrent.atomic.AtomicReference", // its value is checked in its turn
            "java.util.Comparators$NaturalOrderComparator",
            "java.util.Collections$ReverseComparator");

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final ObjectInputFilter user; // null when there is no user pattern
    private final long maxArrayLength;
    private String rejected; // what this filter refused last, for the exception's message

    private SerialFilter(ObjectInputFilter user, long maxArrayLength) {
        this.user = user;
        this.maxArrayLength = maxArrayLength;
    }

    /**
     * Checks {@code pattern} as a filter pattern.
     *
     * @param pattern an {@link ObjectInputFilter.Config#createFilter} pattern, or null for none
     * @return the compiled pattern, or null
     * @throws IllegalArgumentException naming the pattern when it is malformed
     */
    public static ObjectInputFilter compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return null;
        }
        try {
            return ObjectInputFilter.Config.createFilter(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "deserializationFilter is not a valid ObjectInputFilter pattern: " + pattern + " (" + e.getMessage()
                            + ")",
                    e);
        }
    }

    /** The filter for one payload of {@code payloadBytes} bytes. */
    public static SerialFilter forPayload(ObjectInputFilter user, int payloadBytes) {
        return new SerialFilter(user, payloadBytes);
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH) {
            return reject("nesting deeper than " + MAX_DEPTH);
        }
        if (info.references() > MAX_REFERENCES) {
            return reject("more than " + MAX_REFERENCES + " references");
        }
        if (info.arrayLength() > maxArrayLength) {
            return reject(
                    "an array of " + info.arrayLength() + " elements in a payload of " + maxArrayLength + " bytes");
        }
        Class<?> serialClass = info.serialClass();
        if (serialClass == null) {
            return Status.UNDECIDED;
        }
        Class<?> type = serialClass;
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (user != null) {
            Status status = user.checkInput(info);
            if (status == Status.REJECTED) {
                return reject("class " + serialClass.getName() + ", refused by the deserializationFilter pattern");
            }
            if (status == Status.ALLOWED) {
                return status;
            }
        }
        return allowedByDefault(type)
                ? Status.ALLOWED
                : reject("class " + serialClass.getName() + ", not on the default allow-list");
    }

    private Status reject(String what) {
        rejected = what;
        return Status.REJECTED;
    }

    /** What this filter refused, or null. */
    String rejected() {
        return rejected;
    }

    /** Whether the default allows instances of {@code type} (an element type, not an array). */
    static boolean allowedByDefault(Class<?> type) {
        if (type.isPrimitive()) {
            return true;
        }
        ClassLoader loader = type.getClassLoader();
        if (loader != null && loader != PLATFORM) {
            return true; // the application's own class
        }
        if (type.isEnum()
                || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
            return true; // an enum constant is resolved by name, never constructed
        }
        if (JDK_VALUE_TYPES.contains(type.getName())
                || type.getName().startsWith("java.time.")
                || type.getName().startsWith("java.util.ImmutableCollections$")
                || type.getName().startsWith("java.util.Collections$")) {
            return true;
        }
        return Throwable.class.isAssignableFrom(type) && type.getPackageName().startsWith("java.");
    }
}
