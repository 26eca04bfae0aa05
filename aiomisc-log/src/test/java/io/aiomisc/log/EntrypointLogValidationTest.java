package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11, defect 7, with the real logging module (aiomisc-log's configurator, found on the
 * class path; no journald provider here): each bad {@code AIOMISC_*} value fails {@code build()}
 * naming the variable, instead of passing it and failing in {@code start()} (or running out of
 * memory there).
 */
class EntrypointLogValidationTest {

    /**
     * The package-private {@code Entrypoint.builder(Map)}, which reads the given map instead of
     * the process environment (the tests run on the class path, where it is accessible).
     */
    private static Entrypoint.Builder builder(Map<String, String> environment) throws ReflectiveOperationException {
        Method builder = Entrypoint.class.getDeclaredMethod("builder", Map.class);
        builder.setAccessible(true);
        return (Entrypoint.Builder) builder.invoke(null, environment);
    }

    @ParameterizedTest
    @CsvSource({
        "AIOMISC_LOG_DATE_FORMAT, %Q, '%Q'",
        "AIOMISC_LOG_BUFFER, 268435457, 1048576",
        "AIOMISC_LOG_BUFFER, 100000000, 1048576",
        "AIOMISC_LOG_FORMAT, journald, io.aiomisc:aiomisc-systemd on the class path",
        "AIOMISC_LOG_FLUSH, 1e-9, 0.001",
        "AIOMISC_SHUTDOWN_TIMEOUT, 1e50000000, 86400",
    })
    void aBadVariableFailsBuildNamingIt(String variable, String value, String detail) {
        IllegalArgumentException thrown = assertTimeoutPreemptively(
                Duration.ofSeconds(1),
                () -> assertThrows(IllegalArgumentException.class, () -> builder(Map.of(variable, value))
                        .catchSignals(false)
                        .build()));
        for (String part : new String[] {variable, value, detail}) {
            assertTrue(thrown.getMessage().contains(part), thrown.getMessage());
        }
    }

    @Test
    void journaldThroughTheSetterNamesTheSetter() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> builder(Map.of())
                .catchSignals(false)
                .logFormat("journald")
                .build());
        assertTrue(thrown.getMessage().contains("logFormat"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("aiomisc-systemd"), thrown.getMessage());
    }
}
