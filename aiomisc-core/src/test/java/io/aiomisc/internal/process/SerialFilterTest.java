package io.aiomisc.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.Test;

class SerialFilterTest {
    private static final int LIMIT = 1 << 20;

    record Point(int x, String label) implements Serializable {}

    /** Counts its own deserializations: proves whether its readObject ran. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READS = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READS.incrementAndGet();
        }
    }

    @Test
    void theJdkValueTypesAndTheApplicationsClassesPass() throws Exception {
        Supplier<String> lambda = (Supplier<String> & Serializable) () -> "from a lambda";
        List<Object> values = List.of(
                "text",
                42,
                42L,
                3.5d,
                'c',
                true,
                (byte) 1,
                (short) 2,
                1.5f,
                new BigInteger("123456789012345678901234567890"),
                new BigDecimal("1.25"),
                UUID.randomUUID(),
                URI.create("https://example.com/x"),
                Instant.ofEpochSecond(1_000_000),
                Duration.ofMillis(1500),
                LocalDate.of(2026, 12, 7),
                ZonedDateTime.parse("2026-12-07T00:00:00Z"),
                new ArrayList<>(List.of(1, 2)),
                List.of(1, 2, 3),
                Map.of("a", 1),
                new HashMap<>(Map.of("b", 2)),
                new java.util.LinkedHashMap<>(Map.of("d", 4)),
                new java.util.HashSet<>(Set.of("e")),
                new java.util.LinkedHashSet<>(Set.of("f")),
                new TreeMap<>(Map.of("c", 3)),
                Set.of("x"),
                Collections.unmodifiableList(new ArrayList<>(List.of("y"))),
                EnumSet.of(TimeUnit.SECONDS),
                TimeUnit.MINUTES,
                new int[] {1, 2, 3},
                new String[][] {{"a"}, {"b"}},
                new Point(1, "one"));
        for (Object value : values) {
            Object back = roundTrip(value, null);
            if (value instanceof Object[] array) {
                assertArrayEquals(array, (Object[]) back);
            } else if (value instanceof int[] array) {
                assertArrayEquals(array, (int[]) back);
            } else {
                assertEquals(value, back, value.getClass().getName());
            }
        }
        @SuppressWarnings("unchecked")
        Supplier<String> lambdaBack = (Supplier<String>) roundTrip(lambda, null);
        assertEquals("from a lambda", lambdaBack.get());
    }

    @Test
    void everyCollectionOnTheAllowListReadsBack() throws Exception {
        // each of these reads itself through helper classes (array checks, proxies, readResolve):
        // the filter sees those too, so each must be tried for real
        List<Object> equal = List.of(
                new java.util.concurrent.ConcurrentHashMap<>(Map.of("a", 1)),
                new java.util.concurrent.CopyOnWriteArrayList<>(List.of(1, 2)),
                new java.util.concurrent.CopyOnWriteArraySet<>(Set.of(3)),
                new java.util.concurrent.ConcurrentSkipListMap<>(Map.of("b", 2)),
                new java.util.concurrent.ConcurrentSkipListSet<>(Set.of("c")),
                new java.util.EnumMap<>(Map.of(TimeUnit.SECONDS, "s")),
                EnumSet.range(TimeUnit.NANOSECONDS, TimeUnit.DAYS),
                new java.util.Vector<>(List.of(1)),
                new java.util.LinkedList<>(List.of(1, 2)),
                new java.util.TreeSet<>(Set.of(5, 4)),
                new TreeMap<String, Integer>(java.util.Comparator.reverseOrder()),
                new java.util.TreeSet<String>(String.CASE_INSENSITIVE_ORDER),
                new java.util.TreeSet<String>(java.util.Comparator.naturalOrder()),
                java.util.Arrays.asList(1, 2),
                new java.util.AbstractMap.SimpleEntry<>("k", 1),
                new java.util.AbstractMap.SimpleImmutableEntry<>("k", 2),
                Collections.emptyList(),
                Collections.emptyMap(),
                Collections.singletonList(1),
                Collections.synchronizedList(new ArrayList<>(List.of(1))),
                Collections.unmodifiableMap(new HashMap<>(Map.of("m", 1))),
                List.copyOf(List.of(new Point(1, "p"))),
                new java.util.BitSet(64),
                java.util.Locale.CANADA_FRENCH,
                java.util.Currency.getInstance("EUR"),
                new java.util.Date(0),
                java.math.MathContext.DECIMAL64,
                java.math.RoundingMode.HALF_EVEN,
                new StackTraceElement("C", "m", "C.java", 1));
        for (Object value : equal) {
            assertEquals(value, roundTrip(value, null), value.getClass().getName());
        }
        List<Object> byText = List.of(
                new java.util.ArrayDeque<>(List.of(1, 2)),
                new java.util.IdentityHashMap<>(Map.of(1, 2)),
                new java.util.concurrent.ConcurrentLinkedQueue<>(List.of(1)),
                new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(2)),
                new AtomicInteger(7),
                new java.util.concurrent.atomic.AtomicLong(8),
                new java.util.concurrent.atomic.AtomicBoolean(true));
        for (Object value : byText) {
            assertEquals(
                    value.toString(),
                    roundTrip(value, null).toString(),
                    value.getClass().getName());
        }
    }

    @Test
    void theJdksExceptionsPassWithTheirCauses() throws Exception {
        IllegalStateException thrown = new IllegalStateException("outer", new IOException("inner"));
        thrown.addSuppressed(new ArithmeticException("suppressed"));
        IllegalStateException back = (IllegalStateException) roundTrip(thrown, null);
        assertEquals("outer", back.getMessage());
        assertInstanceOf(IOException.class, back.getCause());
        assertEquals("suppressed", back.getSuppressed()[0].getMessage());
        assertEquals(thrown.getStackTrace().length, back.getStackTrace().length);
    }

    @Test
    void otherJdkClassesAreRefusedByName() throws Exception {
        assertRefused(new URL("https://example.com/"), "java.net.URL");
        assertRefused(new BadAttributeValueExpException("x"), "javax.management.BadAttributeValueExpException");
        assertRefused(new PriorityQueue<>(List.of(1, 2)), "java.util.PriorityQueue");
        // inside an allowed container too: the filter sees every class of the graph
        assertRefused(new ArrayList<>(List.of("fine", new URL("https://example.com/"))), "java.net.URL");
        assertRefused(new Object[] {new URL("https://example.com/")}, "java.net.URL");
    }

    @Test
    void theDefaultAllowListJudgesElementTypes() {
        assertTrue(SerialFilter.allowedByDefault(String.class));
        assertTrue(SerialFilter.allowedByDefault(int.class));
        assertTrue(SerialFilter.allowedByDefault(Point.class));
        assertTrue(SerialFilter.allowedByDefault(java.time.Period.class));
        assertTrue(SerialFilter.allowedByDefault(IllegalArgumentException.class));
        assertTrue(SerialFilter.allowedByDefault(java.io.UncheckedIOException.class));
        assertTrue(!SerialFilter.allowedByDefault(URL.class));
        assertTrue(!SerialFilter.allowedByDefault(javax.management.ObjectName.class));
        assertTrue(!SerialFilter.allowedByDefault(BadAttributeValueExpException.class)); // a Throwable outside java.*
        assertTrue(!SerialFilter.allowedByDefault(java.util.Hashtable.class));
        assertTrue(!SerialFilter.allowedByDefault(java.io.File.class));
    }

    @Test
    void aRejectedClassIsNeverBuiltSoItsReadObjectNeverRuns() throws Exception {
        byte[] bytes = Serial.serialize(List.of(new Tripwire()), LIMIT, "test");
        int before = Tripwire.READS.get();
        InvalidClassException e = assertThrows(
                InvalidClassException.class,
                () -> Serial.deserialize(bytes, SerialFilter.compile("!" + Tripwire.class.getName())));
        assertTrue(e.getMessage().contains(Tripwire.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("deserializationFilter pattern"), e.getMessage());
        assertEquals(before, Tripwire.READS.get());
        // the tripwire works: without the pattern its readObject runs
        Serial.deserialize(bytes, null);
        assertEquals(before + 1, Tripwire.READS.get());
    }

    @Test
    void theUserPatternIsConsultedFirst() throws Exception {
        // a reject wins over the default's allow ...
        assertRefused(new Point(1, "a"), Point.class.getName(), "!" + SerialFilterTest.class.getName() + "$*");
        assertRefused(42, "java.lang.Integer", "!java.lang.Integer");
        // ... an allow extends the default ...
        URL url = new URL("https://example.com/");
        assertEquals(url, roundTrip(url, SerialFilter.compile("java.net.URL")));
        // ... and what the pattern leaves undecided falls to the default
        assertEquals(new Point(2, "b"), roundTrip(new Point(2, "b"), SerialFilter.compile("!com.example.*")));
        assertRefused(new PriorityQueue<>(List.of(1)), "java.util.PriorityQueue", "!com.example.*");
        // a pattern that narrows to a list of packages
        assertRefused(new Point(3, "c"), Point.class.getName(), "java.lang.*;!*");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() throws Exception {
        Object deep = "bottom";
        for (int i = 0; i < SerialFilter.MAX_DEPTH + 10; i++) {
            deep = new Object[] {deep};
        }
        byte[] bytes = Serial.serialize(deep, LIMIT, "test");
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Serial.deserialize(bytes, null));
        assertTrue(e.getMessage().contains("nesting deeper than " + SerialFilter.MAX_DEPTH), e.getMessage());

        Object shallow = "bottom";
        for (int i = 0; i < SerialFilter.MAX_DEPTH - 10; i++) {
            shallow = new Object[] {shallow};
        }
        Serial.deserialize(Serial.serialize(shallow, LIMIT, "test"), null);
    }

    @Test
    void anArrayLongerThanItsPayloadIsRefusedBeforeItIsAllocated() throws Exception {
        int[] small = {0x11111111, 0x11111111, 0x11111111, 0x11111111};
        byte[] bytes = Serial.serialize(small, LIMIT, "test");
        // the length precedes the 16 bytes of elements at the end of the stream: claim a billion
        int at = bytes.length - 16 - 4;
        assertEquals(4, bytes[at + 3]);
        bytes[at] = 0x3B;
        bytes[at + 1] = (byte) 0x9A;
        bytes[at + 2] = (byte) 0xCA;
        bytes[at + 3] = 0x00;
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Serial.deserialize(bytes, null));
        assertTrue(e.getMessage().contains("an array of 1000000000 elements"), e.getMessage());
    }

    @Test
    void theLimitsHoldForEveryClass() {
        SerialFilter filter = SerialFilter.forPayload(null, 100);
        assertEquals(ObjectInputFilter.Status.ALLOWED, filter.checkInput(info(String.class, -1, 1, 1)));
        assertEquals(ObjectInputFilter.Status.REJECTED, filter.checkInput(info(String.class, -1, 201, 1)));
        assertEquals(
                ObjectInputFilter.Status.REJECTED,
                filter.checkInput(info(String.class, -1, 1, SerialFilter.MAX_REFERENCES + 1)));
        assertTrue(filter.rejected().contains("references"), filter.rejected());
        assertEquals(ObjectInputFilter.Status.ALLOWED, filter.checkInput(info(byte[].class, 100, 1, 1)));
        assertEquals(ObjectInputFilter.Status.REJECTED, filter.checkInput(info(byte[].class, 101, 1, 1)));
        // a user pattern that allows everything does not lift them
        SerialFilter lenient = SerialFilter.forPayload(SerialFilter.compile("*"), 100);
        assertEquals(ObjectInputFilter.Status.REJECTED, lenient.checkInput(info(byte[].class, 101, 1, 1)));
        assertEquals(ObjectInputFilter.Status.REJECTED, lenient.checkInput(info(String.class, -1, 201, 1)));
        // no class yet (a reference or a block of data): left to the stream
        assertEquals(ObjectInputFilter.Status.UNDECIDED, filter.checkInput(info(null, -1, 1, 1)));
    }

    @Test
    void aMalformedPatternIsRefusedNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SerialFilter.compile("maxdepth=deep"));
        assertTrue(e.getMessage().contains("maxdepth=deep"), e.getMessage());
        assertNull(SerialFilter.compile(null));
        assertNull(SerialFilter.compile(" "));
    }

    private static Object roundTrip(Object value, ObjectInputFilter user) throws Exception {
        return Serial.deserialize(Serial.serialize(value, LIMIT, "test"), user);
    }

    private static void assertRefused(Object value, String className) throws Exception {
        assertRefused(value, className, null);
    }

    private static void assertRefused(Object value, String className, String pattern) throws Exception {
        byte[] bytes = Serial.serialize(value, LIMIT, "test");
        InvalidClassException e = assertThrows(
                InvalidClassException.class, () -> Serial.deserialize(bytes, SerialFilter.compile(pattern)), className);
        assertTrue(e.getMessage().contains("class " + className), e.getMessage());
    }

    private static ObjectInputFilter.FilterInfo info(Class<?> type, long arrayLength, long depth, long references) {
        return new ObjectInputFilter.FilterInfo() {
            @Override
            public Class<?> serialClass() {
                return type;
            }

            @Override
            public long arrayLength() {
                return arrayLength;
            }

            @Override
            public long depth() {
                return depth;
            }

            @Override
            public long references() {
                return references;
            }

            @Override
            public long streamBytes() {
                return 0;
            }
        };
    }
}
