package io.aiomisc.junit.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs fixture classes (static nested classes of the tests, which surefire's default excludes keep
 * from running on their own) through the JUnit Platform with the Jupiter engine, and reads the
 * outcome of their tests.
 *
 * <p>The inner runs ignore the module's {@code junit-platform.properties} and system properties
 * (implicit configuration parameters off) and get exactly these: no extension autodetection (the
 * outer tests' LeakCheck covers leaks; counting JVM-wide threads inside parallel inner runs would make
 * tests wait on each other), and a Jupiter timeout of 30 s on every inner test so that a hang fails
 * the inner test, not the outer one's 60 s.
 */
final class InnerRun {
    private final EngineExecutionResults results;

    private InnerRun(EngineExecutionResults results) {
        this.results = results;
    }

    static InnerRun of(Class<?> fixture) {
        return run(Map.of(), selectClass(fixture));
    }

    static InnerRun of(Class<?> fixture, Map<String, String> parameters) {
        return run(parameters, selectClass(fixture));
    }

    /** Runs the one method of {@code fixture} named {@code method} (names are unique in the fixtures). */
    static InnerRun method(Class<?> fixture, String method) {
        return method(fixture, method, Map.of());
    }

    static InnerRun method(Class<?> fixture, String method, Map<String, String> parameters) {
        List<Method> found = Arrays.stream(fixture.getDeclaredMethods())
                .filter(m -> m.getName().equals(method))
                .toList();
        assertEquals(1, found.size(), () -> "one method " + method + " in " + fixture + ": " + found);
        return run(parameters, selectMethod(fixture, found.getFirst()));
    }

    static InnerRun classes(Map<String, String> parameters, Class<?>... fixtures) {
        return run(parameters, Arrays.stream(fixtures).map(c -> selectClass(c)).toArray(DiscoverySelector[]::new));
    }

    private static InnerRun run(Map<String, String> parameters, DiscoverySelector... selectors) {
        Map<String, String> configuration = new HashMap<>();
        configuration.put("junit.jupiter.extensions.autodetection.enabled", "false");
        configuration.put("junit.jupiter.execution.timeout.default", "30 s");
        configuration.put("junit.jupiter.execution.timeout.mode", "enabled");
        configuration.putAll(parameters);
        return new InnerRun(EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(configuration)
                .selectors(selectors)
                .execute());
    }

    /** The results of the tests (and test template invocations) that ran, in the order they finished. */
    List<TestExecutionResult> tests() {
        return results.testEvents().finished().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class))
                .toList();
    }

    /** The results of every test method named {@code method} (several for a template), in order. */
    List<TestExecutionResult> results(String method) {
        List<TestExecutionResult> found = new ArrayList<>();
        for (Event event : results.testEvents().finished().list()) {
            if (methodName(event.getTestDescriptor()).equals(Optional.of(method))) {
                found.add(event.getRequiredPayload(TestExecutionResult.class));
            }
        }
        if (found.isEmpty()) {
            fail("no test " + method + " ran; " + describe());
        }
        return found;
    }

    /** The failure of the one test named {@code method}, asserting that it failed. */
    Throwable failure(String method) {
        List<TestExecutionResult> found = results(method);
        assertEquals(1, found.size(), () -> "one run of " + method + "; " + describe());
        TestExecutionResult result = found.getFirst();
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus(), () -> method + " failed; " + describe());
        return result.getThrowable().orElseThrow();
    }

    /** The failure of the class container of {@code fixture}, asserting that it failed. */
    Throwable containerFailure(Class<?> fixture) {
        for (Event event : results.containerEvents().finished().list()) {
            if (event.getTestDescriptor().getSource().orElse(null) instanceof ClassSource source
                    && source.getJavaClass() == fixture) {
                TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
                assertEquals(TestExecutionResult.Status.FAILED, result.getStatus(), () -> fixture + " failed");
                return result.getThrowable().orElseThrow();
            }
        }
        return fail("the container of " + fixture + " did not run; " + describe());
    }

    /** Asserts that {@code count} tests ran, all successfully, and no container failed. */
    InnerRun assertSucceeded(int count) {
        assertTrue(
                results.allEvents().failed().count() == 0
                        && results.allEvents().aborted().count() == 0,
                () -> "nothing failed; " + describe());
        assertEquals(count, results.testEvents().succeeded().count(), () -> "tests that succeeded; " + describe());
        return this;
    }

    /** Every finished test and container with its status and throwable, for assertion messages. */
    String describe() {
        StringBuilder text = new StringBuilder("events:");
        for (Event event : results.allEvents().finished().list()) {
            TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
            text.append("\n  ")
                    .append(event.getTestDescriptor().getDisplayName())
                    .append(": ")
                    .append(result.getStatus());
            result.getThrowable().ifPresent(t -> text.append(" ").append(t));
        }
        return text.toString();
    }

    private static Optional<String> methodName(TestDescriptor descriptor) {
        return descriptor.getSource().orElse(null) instanceof MethodSource source
                ? Optional.of(source.getMethodName())
                : Optional.empty();
    }
}
