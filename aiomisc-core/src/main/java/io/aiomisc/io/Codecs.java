package io.aiomisc.io;

import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.locks.ReentrantLock;

/** Finds the provider of a compression: GZIP built in, the others through ServiceLoader. */
final class Codecs {
    /** The Maven coordinates named when a codec is missing. */
    static final String MODULE = "io.aiomisc:aiomisc-compress";

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<Compression, CompressionProvider> FOUND = new EnumMap<>(Compression.class);

    private Codecs() {}

    /**
     * The provider of {@code compression}; null for NONE.
     *
     * @throws IllegalStateException naming {@link #MODULE} when no provider is present
     */
    static CompressionProvider provider(Compression compression) {
        switch (compression) {
            case NONE:
                return null;
            case GZIP:
                return GzipProvider.INSTANCE;
            default:
                break;
        }
        LOCK.lock();
        try {
            CompressionProvider cached = FOUND.get(compression);
            if (cached != null) {
                return cached;
            }
        } finally {
            LOCK.unlock();
        }
        CompressionProvider found = null;
        for (CompressionProvider provider :
                ServiceLoader.load(CompressionProvider.class, CompressionProvider.class.getClassLoader())) {
            if (provider.compression() == compression) {
                found = provider;
                break;
            }
        }
        if (found == null) {
            throw new IllegalStateException("Compression." + compression + " needs the module " + MODULE
                    + " (artifact aiomisc-compress) on the class path or module path; only NONE and GZIP"
                    + " are built in");
        }
        LOCK.lock();
        try {
            FOUND.putIfAbsent(compression, found);
            return FOUND.get(compression);
        } finally {
            LOCK.unlock();
        }
    }
}
