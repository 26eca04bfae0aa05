package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiomisc.io.Compression;
import io.aiomisc.io.CompressionProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The three providers are found through {@link ServiceLoader}, as core's AsyncFile looks for them. */
class ProviderDiscoveryTest {
    @Test
    void serviceLoaderFindsExactlyTheThreeProviders() {
        Map<Compression, Class<?>> found = new TreeMap<>();
        for (CompressionProvider provider : ServiceLoader.load(CompressionProvider.class)) {
            Class<?> previous = found.put(provider.compression(), provider.getClass());
            assertEquals(null, previous, "one provider per compression");
        }
        assertEquals(
                Map.of(
                        Compression.BZ2, Bz2Provider.class,
                        Compression.LZMA, LzmaProvider.class,
                        Compression.ZSTD, ZstdProvider.class),
                found);
    }

    @Test
    void coreClassLoaderSeesThemToo() {
        // core loads with CompressionProvider's own class loader
        long count = ServiceLoader.load(CompressionProvider.class, CompressionProvider.class.getClassLoader()).stream()
                .count();
        assertEquals(3, count);
    }
}
