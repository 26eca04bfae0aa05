package io.aiomisc.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent callers and callers with the interrupt flag set. */
class AsyncFileThreadingTest {
    @TempDir
    Path dir;

    @Test
    void eightThreadsReadingLinesGetEveryLineExactlyOnce() throws Exception {
        Path file = dir.resolve("many.txt");
        StringBuilder content = new StringBuilder();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String line = "line " + i + " " + "x".repeat(i % 50);
            expected.add(line);
            content.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Files.writeString(file, content);
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                readers.add(Thread.ofPlatform().name("reader-" + t).start(() -> {
                    try {
                        go.await();
                        for (String line = f.readLine(); line != null; line = f.readLine()) {
                            seen.add(line);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            go.countDown();
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(10_000, seen.size());
        assertEquals(expected, new HashSet<>(seen));
    }

    @Test
    void callsWithTheInterruptFlagSetCompleteAndLeaveTheFlagSet() throws Exception {
        // A FileChannel is closed by an interrupt during its IO (ClosedByInterruptException);
        // AsyncFile promises that an interrupt does not stop a call.
        Path file = dir.resolve("interrupted.txt");
        Files.writeString(file, "one\ntwo\n");
        Thread.currentThread().interrupt();
        try {
            try (AsyncFile f = AsyncFile.open(file, "r+")) {
                assertEquals("one", f.readLine());
                assertTrue(Thread.currentThread().isInterrupted());
                f.seek(8);
                f.write("three\n");
                f.flush();
                f.truncate(14);
                assertEquals(14, f.tell());
                f.seek(4);
                assertEquals("two", f.readLine());
                assertEquals("three", f.readLine());
                assertNull(f.readLine());
                assertTrue(Thread.currentThread().isInterrupted());
            }
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals("one\ntwo\nthree\n", Files.readString(file));
    }

    @Test
    void compressedCallsWithTheInterruptFlagSetCompleteAndLeaveTheFlagSet() throws Exception {
        Path file = dir.resolve("interrupted.gz");
        byte[] data = "x".repeat(200_000).getBytes(UTF_8);
        Thread.currentThread().interrupt();
        try {
            try (AsyncFile f = AsyncFile.open(file, "wb", Compression.GZIP)) {
                f.write(data);
                f.flush();
            }
            assertTrue(Thread.currentThread().isInterrupted());
            try (AsyncFile f = AsyncFile.open(file, "rb", Compression.GZIP)) {
                assertArrayEquals(data, f.readAll());
                f.seek(10);
                assertEquals(199_990, f.readAll().length);
            }
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void aFileKeepsWorkingAfterACallerWasInterrupted() throws Exception {
        // Another thread's interrupted call must not break the file for everyone else.
        Path file = dir.resolve("shared.txt");
        Files.writeString(file, "a\nb\nc\n");
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            Queue<Object> results = new ConcurrentLinkedQueue<>();
            Thread interrupted = Thread.ofPlatform().unstarted(() -> {
                Thread.currentThread().interrupt();
                try {
                    results.add(f.readLine());
                } catch (Exception e) {
                    results.add(e);
                }
            });
            interrupted.start();
            interrupted.join();
            assertEquals(List.of("a"), List.copyOf(results));
            assertEquals("b", f.readLine());
            assertEquals("c", f.readLine());
        }
    }

    @Test
    void interruptsDuringReadsDoNotBreakTheFile() throws Exception {
        // Interrupts arrive while the reader is inside the file IO (many read-ahead refills); with a
        // FileChannel one of them closes the channel. Every line must still arrive, in order.
        Path file = dir.resolve("big.txt");
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            content.append("line ").append(i).append('\n');
        }
        Files.writeString(file, content);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        int[] count = new int[1];
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (String line = f.readLine(); line != null; line = f.readLine()) {
                        if (!line.equals("line " + count[0])) {
                            throw new AssertionError("line " + count[0] + " was " + line);
                        }
                        count[0]++;
                        if (count[0] % 1000 == 0) {
                            f.seek(f.tell()); // drops the read-ahead: the next line is read from the file
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            while (reader.isAlive()) {
                reader.interrupt();
                Thread.yield();
            }
            reader.join();
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(100_000, count[0]);
            f.seek(0);
            assertEquals("line 0", f.readLine());
        }
    }

    @Test
    void aFileOnAnotherFileSystemWorksThroughItsChannel() throws Exception {
        Path zip = dir.resolve("files.zip");
        try (java.nio.file.FileSystem zipfs =
                java.nio.file.FileSystems.newFileSystem(zip, java.util.Map.of("create", "true"))) {
            Path file = zipfs.getPath("/inside.txt");
            try (AsyncFile f = AsyncFile.open(file, "w+")) {
                f.write("one\ntwo\n");
                f.seek(0);
                assertEquals("one", f.readLine());
                f.truncate(12);
                assertEquals(4, f.tell());
            }
            try (AsyncFile f = AsyncFile.open(file, "ab")) {
                assertEquals(12, f.tell());
                f.write(new byte[] {'!'});
            }
            assertArrayEquals("one\ntwo\n\0\0\0\0!".getBytes(UTF_8), Files.readAllBytes(file));
        }
    }
}
