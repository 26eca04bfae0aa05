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
 * {@link UnusedPort @UnusedPort int} and {@link Localhost @Localhost String}. See
 * {@link AiomiscExtension} for the details.
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
     * {@code --aiomisc-pool-size}, whose default 4 this is.
     *
     * @return the pool size; at least 1
     */
    int poolSize() default 4;
}
