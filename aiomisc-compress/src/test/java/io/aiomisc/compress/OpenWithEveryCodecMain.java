package io.aiomisc.compress;

import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.nio.file.Path;

/**
 * Child JVM of {@link MissingModuleTest}: writes and reads a file with each of BZ2, LZMA and ZSTD
 * in the directory {@code args[0]}, printing one line per codec: {@code OK <codec>} or {@code FAIL
 * <codec> <exception class>: <message>}. Refers to no codec library itself, so that it runs
 * without them.
 */
public final class OpenWithEveryCodecMain {
    private OpenWithEveryCodecMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (Compression compression : new Compression[] {Compression.BZ2, Compression.LZMA, Compression.ZSTD}) {
            Path file = dir.resolve("child." + compression);
            try {
                try (AsyncFile f = AsyncFile.open(file, "w", compression)) {
                    f.write("hello " + compression + "\n");
                }
                try (AsyncFile f = AsyncFile.open(file, "r", compression)) {
                    String line = f.readLine();
                    System.out.println(
                            ("hello " + compression).equals(line)
                                    ? "OK " + compression
                                    : "WRONG " + compression + " " + line);
                }
            } catch (Exception e) {
                System.out.println("FAIL " + compression + " " + e.getClass().getName() + ": "
                        + e.getMessage().replace('\n', ' '));
            }
        }
        System.out.println("DONE");
    }
}
