package io.aiomisc.compress;

import io.aiomisc.io.Compression;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A test run once for each codec of this module: BZ2, LZMA and ZSTD. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest
@EnumSource(
        value = Compression.class,
        names = {"BZ2", "LZMA", "ZSTD"})
@interface EveryCodec {}
