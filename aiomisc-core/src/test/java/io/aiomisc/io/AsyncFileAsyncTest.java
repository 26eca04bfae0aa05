package io.aiomisc.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.TestPools;
import io.aiomisc.stats.ThreadPoolStatistic;
import io.aiomisc.task.Task;
import io.aiomisc.testing.TestEntrypoints;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The *Async variants run on the entrypoint's pool and give what the blocking calls give. */
class AsyncFileAsyncTest {
    @TempDir
    Path dir;

    /** Runs {@code call} and asserts it submitted exactly one task to the entrypoint's pool. */
    private static <T> T onPool(ThreadPoolStatistic pool, Callable<Task<T>> call) throws Exception {
        long before = pool.submitted.value();
        T result = call.call().await();
        assertEquals(before + 1, pool.submitted.value(), "tasks submitted to the entrypoint's pool");
        return result;
    }

    @Test
    void asyncVariantsRunOnThePoolAndGiveTheSameResults() throws Exception {
        Path text = dir.resolve("a.txt");
        Path binary = dir.resolve("b.gz");
        try (Entrypoint ep = TestEntrypoints.builder().poolSize(2).start()) {
            ThreadPoolStatistic pool = TestPools.defaultPool(ep).statistic();
            ep.runUntilComplete(() -> {
                AsyncFile out = onPool(pool, () -> AsyncFile.openAsync(text, "w", Compression.NONE));
                assertNull(onPool(pool, () -> out.writeAsync("héllo\nworld\n")));
                assertNull(onPool(pool, out::flushAsync));
                assertEquals("héllo\nworld\n", Files.readString(text));
                assertNull(onPool(pool, out::closeAsync));
                assertThrows(IllegalStateException.class, out::tell);

                AsyncFile in = onPool(pool, () -> AsyncFile.openAsync(text, "r", Compression.NONE));
                assertEquals("héllo", onPool(pool, in::readLineAsync));
                assertEquals("world", onPool(pool, in::readLineAsync));
                assertNull(onPool(pool, in::readLineAsync));
                in.close();

                AsyncFile gz = onPool(pool, () -> AsyncFile.openAsync(binary, "wb", Compression.GZIP));
                assertNull(onPool(pool, () -> gz.writeAsync("binary".getBytes(UTF_8))));
                onPool(pool, gz::closeAsync);
                AsyncFile gzIn = onPool(pool, () -> AsyncFile.openAsync(binary, "rb", Compression.GZIP));
                assertArrayEquals("bi".getBytes(UTF_8), onPool(pool, () -> gzIn.readAsync(2)));
                assertArrayEquals("nary".getBytes(UTF_8), onPool(pool, gzIn::readAllAsync));
                gzIn.close();
                return null;
            });
        }
    }

    @Test
    void aFailingAsyncCallFailsItsTaskWithTheSameException() throws Exception {
        Path missing = dir.resolve("missing.txt");
        Path file = dir.resolve("f.bin");
        Files.write(file, new byte[] {1, 2});
        try (Entrypoint ep = TestEntrypoints.builder().poolSize(2).start()) {
            ThreadPoolStatistic pool = TestPools.defaultPool(ep).statistic();
            ep.runUntilComplete(() -> {
                assertThrows(
                        NoSuchFileException.class,
                        () -> onPool(pool, () -> AsyncFile.openAsync(missing, "r", Compression.NONE)));
                IllegalArgumentException mode = assertThrows(
                        IllegalArgumentException.class,
                        () -> AsyncFile.openAsync(file, "rw", Compression.NONE).await());
                assertTrue(mode.getMessage().contains("'rw'"), mode.getMessage());
                try (AsyncFile binary = AsyncFile.open(file, "rb")) {
                    assertThrows(IllegalStateException.class, () -> binary.readLineAsync()
                            .await());
                    assertThrows(IllegalStateException.class, () -> binary.writeAsync(new byte[] {3})
                            .await());
                    assertThrows(IllegalArgumentException.class, () -> binary.readAsync(-1)
                            .await());
                    binary.close();
                    assertThrows(IllegalStateException.class, () -> binary.readAllAsync()
                            .await());
                    assertThrows(IllegalStateException.class, () -> binary.flushAsync()
                            .await());
                    assertNull(binary.closeAsync().await()); // closing twice is fine
                }
                return null;
            });
        }
    }
}
