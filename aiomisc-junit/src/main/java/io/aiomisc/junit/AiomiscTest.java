package io.aiomisc.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of the annotated class (or the annotated test method) in an entrypoint of its own:
 * aiomisc's pytest plugin. Before each test an {@code Entrypoint} is started with the services of the
 * class's {@link Services} method; the test, its {@code @BeforeEach} and {@code @AfterEach} methods run
 * as tasks of it ({@code Entrypoint.current()} works there, on a virtual thread); after the test it is
 * closed, and the test fails if a task of it failed and nobody retrieved the failure.
 *
 * <p>Test and lifecycle methods may declare parameters of type {@code Entrypoint} (the test's),
 * {@link UnusedPort @UnusedPort int} and {@link Localhost @Localhost String}. A
 * {@link ConfigureEntrypoint} method adjusts the entrypoint's builder (dependencies, shutdown timeout,
 * time source). See {@link AiomiscExtension} for the details.
 *
 * <p>Services that only some tests need: take the {@code Entrypoint} parameter and call
 * {@code entrypoint.startServices(service)} in the test; the extension stops them with the
 * entrypoint, even when the test fails. A service's own stop can be tested with
 * {@code entrypoint.stopServices(service)}.
 *
 * <p>Ordering: the entrypoint closes after the {@code @AfterEach} methods, so a fake backend the
 * services still talk to while they stop must not be closed in {@code @AfterEach}: keep it as an
 * {@code AutoCloseable} in the test's {@code ExtensionContext} store (closed after the extension's
 * after-each work), or close it at the end of the test body after {@code entrypoint.stopServices(...)}.
 *
 * <pre>{@code
 * @AiomiscTest(timeout = "PT10S")
 * class EchoServerTest {
 *     @UnusedPort int port;                       // set before services() runs
 *
 *     @Services
 *     List<Service> services(@Localhost String host) { ... }   // see Services for what it may take
 *
 *     @Test
 *     void echoes(@Localhost String host) throws IOException {
 *         try (Socket socket = new Socket(host, port)) { ... }
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(AiomiscExtension.class)
public @interface AiomiscTest {
    /**
     * The longest each test body may run, as an ISO-8601 duration ({@code "PT10S"}); when it runs
     * longer it is interrupted and the test fails with a {@link java.util.concurrent.TimeoutException}.
     * Empty (the default) means the configuration parameter {@value AiomiscExtension#TIMEOUT_PARAMETER}
     * if set (aiomisc's {@code --aiomisc-test-timeout}), else no limit. An annotation on the method wins
     * over the class's, the class's over an enclosing class's.
     *
     * @return the timeout, or empty
     */
    String timeout() default "";

    /**
     * The number of threads of the test entrypoint's default pool: aiomisc's
     * {@code --aiomisc-pool-size}. 0 (the default) means the enclosing annotation's (the class's for a
     * method, an enclosing class's for a class), else {@value AiomiscExtension#DEFAULT_POOL_SIZE}.
     *
     * @return the pool size; at least 1, or 0 for the enclosing one's
     */
    int poolSize() default 0;
}
