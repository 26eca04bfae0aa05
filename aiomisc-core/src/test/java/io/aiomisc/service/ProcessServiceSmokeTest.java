package io.aiomisc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessServiceSmokeTest {
    static final class Writer extends ProcessService {
        private final String file;

        Writer(String file) {
            this.file = file;
        }

        @Override
        protected void inProcess() throws Exception {
            Files.writeString(
                    Path.of(file), Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(60_000);
        }
    }

    @Test
    void smoke(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pid");
        Writer service = new Writer(file.toString());
        service.start();
        long pid = service.pid();
        assertTrue(pid > 0);
        org.awaitility.Awaitility.await()
                .until(() -> Files.exists(file) && !Files.readString(file).isEmpty());
        assertEquals(pid, Long.parseLong(Files.readString(file)));
        long t0 = System.nanoTime();
        service.stop(null);
        System.out.println("stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(-1, service.pid());
    }
}
