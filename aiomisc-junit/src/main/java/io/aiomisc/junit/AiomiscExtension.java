package io.aiomisc.junit;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.internal.Current;
import io.aiomisc.internal.TaskScope;
import io.aiomisc.task.Task;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The JUnit Jupiter extension behind {@link AiomiscTest}: aiomisc's pytest plugin.
 *
 * <p>For each test:
 * <ol>
 * <li>the {@link UnusedPort} and {@link Localhost} fields of the test instance (and of its enclosing
 * instances, for a {@code @Nested} class) are set;</li>
 * <li>the {@link Services} method is called, and an {@code Entrypoint} is started with its services:
 * pool size {@link AiomiscTest#poolSize()}, logging left as the test set it up ({@code logConfig}
 * off), no signals caught; a failing start fails the test with the service's exception;</li>
 * <li>the {@code @BeforeEach} methods, the test body and the {@code @AfterEach} methods run, each as a
 * task of the entrypoint (on a virtual thread, with {@code Entrypoint.current()} the test's); the
 * body is bounded by {@link AiomiscTest#timeout()}: when it runs out, the body is interrupted and the
 * test fails with a {@link TimeoutException} that carries where the body was;</li>
 * <li>the entrypoint is closed (its services stopped, its tasks cancelled), the ports released; a
 * task of the entrypoint that failed and whose failure nobody retrieved ({@code await}, {@code get},
 * {@code join}, {@code exceptionNow}, {@code toCompletableFuture}) fails the test with an
 * {@link AssertionError} whose cause is that failure (aiomisc's {@code catch_loop_exceptions}).</li>
 * </ol>
 *
 * <p>Parameters: {@code Entrypoint} (in tests and {@code @BeforeEach}/{@code @AfterEach} methods),
 * {@code @UnusedPort int} (anywhere, a port per parameter), {@code @Localhost String} (anywhere).
 *
 * <p>The extension keeps its state in each test's {@link ExtensionContext.Store}: tests may run in
 * parallel.
 */
public final class AiomiscExtension
        implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
    /**
     * The configuration parameter that gives the default test timeout (an ISO-8601 duration such as
     * {@code PT30S}) for tests whose {@link AiomiscTest} sets none.
     */
    public static final String TIMEOUT_PARAMETER = "aiomisc.junit.timeout";

    /** The pool size when no {@link AiomiscTest#poolSize()} sets one: aiomisc's {@code --aiomisc-pool-size} default. */
    public static final int DEFAULT_POOL_SIZE = 4;

    /** How long a timed-out body may take to exit after its interrupt before the test fails anyway. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(AiomiscExtension.class);
    private static final String RUN = "run";
    private static final String PORTS = "ports";

    /** Created by JUnit. */
    public AiomiscExtension() {}

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        TestRun run = new TestRun();
        context.getStore(NAMESPACE).put(RUN, run);
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        for (Object instance : instances) {
            injectFields(instance, run);
        }
        List<Service> services = services(instances, run);
        Entrypoint.Builder builder = Entrypoint.builder()
                .services(services)
                .poolSize(poolSize(context))
                .logConfig(false)
                .catchSignals(false);
        configure(instances, builder);
        Entrypoint entrypoint = builder.build();
        entrypoint.preStart().connect((started, starting) -> run.track(Current.scope()));
        run.entrypoint = entrypoint;
        entrypoint.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        TestRun run = context.getStore(NAMESPACE).remove(RUN, TestRun.class);
        if (run != null) {
            run.finish();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        if (parameter.isAnnotationPresent(UnusedPort.class)) {
            requireType(parameter, UnusedPort.class, type == int.class || type == Integer.class, "int");
            return true;
        }
        if (parameter.isAnnotationPresent(Localhost.class)) {
            requireType(parameter, Localhost.class, type == String.class, "String");
            return true;
        }
        return type == Entrypoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        if (parameter.isAnnotationPresent(UnusedPort.class)) {
            return ports(extensionContext).reserve();
        }
        if (parameter.isAnnotationPresent(Localhost.class)) {
            return LoopbackHost.get();
        }
        TestRun run = extensionContext.getStore(NAMESPACE).get(RUN, TestRun.class);
        if (run == null || run.entrypoint == null) {
            throw new ParameterResolutionException("an Entrypoint parameter is available to test methods and their "
                    + "@BeforeEach/@AfterEach methods only, not to " + parameter.getDeclaringExecutable());
        }
        return run.entrypoint;
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runInEntrypoint(invocation, extensionContext, timeout(extensionContext));
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runInEntrypoint(invocation, extensionContext, timeout(extensionContext));
    }

    @Override
    public <T> T interceptTestFactoryMethod(
            Invocation<T> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        return callInEntrypoint(invocation, extensionContext, timeout(extensionContext));
    }

    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation,
            DynamicTestInvocationContext invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runInEntrypoint(invocation, extensionContext, timeout(extensionContext));
    }

    @Override
    public void interceptBeforeEachMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runInEntrypoint(invocation, extensionContext, Optional.empty());
    }

    @Override
    public void interceptAfterEachMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runInEntrypoint(invocation, extensionContext, Optional.empty());
    }

    /** Runs {@code invocation} as a task of the test's entrypoint, waiting at most {@code timeout}. */
    private static void runInEntrypoint(
            Invocation<Void> invocation, ExtensionContext context, Optional<Duration> timeout) throws Throwable {
        callInEntrypoint(invocation, context, timeout);
    }

    /** Calls {@code invocation} as a task of the test's entrypoint, waiting at most {@code timeout}. */
    private static <T> T callInEntrypoint(
            Invocation<T> invocation, ExtensionContext context, Optional<Duration> timeout) throws Throwable {
        TestRun run = context.getStore(NAMESPACE).get(RUN, TestRun.class);
        if (run == null || run.entrypoint == null || !run.entrypoint.isRunning()) {
            return invocation.proceed();
        }
        AtomicReference<Thread> body = new AtomicReference<>(); // read by this thread when the body times out
        Task<T> task = run.entrypoint.createTask(() -> {
            body.set(Thread.currentThread());
            try {
                return invocation.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e); // neither an Exception nor an Error: not thrown in practice
            }
        });
        if (timeout.isEmpty()) {
            return task.await();
        }
        try {
            return task.await(timeout.get());
        } catch (TimeoutException e) {
            if (task.isDone()) {
                throw e; // the body's own TimeoutException
            }
            Thread thread = body.get();
            StackTraceElement[] where = thread != null ? thread.getStackTrace() : new StackTraceElement[0];
            task.cancel(true);
            TimeoutException timedOut = new TimeoutException(
                    context.getDisplayName() + " timed out after " + timeout.get() + " (the body was interrupted)");
            Throwable location = new Throwable("where the test body was when it timed out");
            location.setStackTrace(where);
            timedOut.addSuppressed(location);
            if (thread != null && !thread.join(EXIT_GRACE)) {
                timedOut.addSuppressed(new IllegalStateException(
                        "the test body did not end within " + EXIT_GRACE + " of its interrupt; it goes on running"));
            }
            throw timedOut;
        }
    }

    /** The test's timeout: the method's annotation, the class's, an enclosing class's, the parameter. */
    private static Optional<Duration> timeout(ExtensionContext context) {
        for (Optional<ExtensionContext> current = Optional.of(context);
                current.isPresent();
                current = current.get().getParent()) {
            Optional<AnnotatedElement> element = current.get().getElement();
            if (element.isPresent()) {
                AiomiscTest annotation = element.get().getAnnotation(AiomiscTest.class);
                if (annotation != null && !annotation.timeout().isEmpty()) {
                    return Optional.of(parseTimeout(annotation.timeout(), "@AiomiscTest(timeout) of " + element.get()));
                }
            }
        }
        return context.getConfigurationParameter(TIMEOUT_PARAMETER)
                .map(value -> parseTimeout(value, "configuration parameter " + TIMEOUT_PARAMETER));
    }

    private static Duration parseTimeout(String value, String source) {
        Duration timeout;
        try {
            timeout = Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ExtensionConfigurationException(
                    source + " must be an ISO-8601 duration such as PT10S: '" + value + "'", e);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ExtensionConfigurationException(source + " must be positive: " + value);
        }
        return timeout;
    }

    private static int poolSize(ExtensionContext context) {
        for (Optional<ExtensionContext> current = Optional.of(context);
                current.isPresent();
                current = current.get().getParent()) {
            Optional<AnnotatedElement> element = current.get().getElement();
            if (element.isPresent()) {
                AiomiscTest annotation = element.get().getAnnotation(AiomiscTest.class);
                if (annotation != null && annotation.poolSize() != 0) {
                    if (annotation.poolSize() < 0) {
                        throw new ExtensionConfigurationException("@AiomiscTest(poolSize) of " + element.get()
                                + " must be at least 1 (or 0 for the enclosing one's): " + annotation.poolSize());
                    }
                    return annotation.poolSize();
                }
            }
        }
        return DEFAULT_POOL_SIZE;
    }

    /** Sets {@code instance}'s {@link UnusedPort} and {@link Localhost} fields (those of its superclasses too). */
    private static void injectFields(Object instance, TestRun run) throws IllegalAccessException {
        for (Class<?> type = instance.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                boolean port = field.isAnnotationPresent(UnusedPort.class);
                boolean host = field.isAnnotationPresent(Localhost.class);
                if (!port && !host) {
                    continue;
                }
                String where = "field " + type.getName() + "." + field.getName();
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                    throw new ExtensionConfigurationException("@" + (port ? "UnusedPort" : "Localhost") + " " + where
                            + " must be neither static nor final");
                }
                Class<?> fieldType = field.getType();
                if (port && fieldType != int.class && fieldType != Integer.class) {
                    throw new ExtensionConfigurationException(
                            "@UnusedPort " + where + " must be an int, not " + fieldType.getName());
                }
                if (host && fieldType != String.class) {
                    throw new ExtensionConfigurationException(
                            "@Localhost " + where + " must be a String, not " + fieldType.getName());
                }
                field.setAccessible(true);
                field.set(instance, port ? run.ports.reserve() : LoopbackHost.get());
            }
        }
    }

    /** Calls the innermost class's {@link Services} method and checks what it returns. */
    private static List<Service> services(List<Object> instances, TestRun run) throws Exception {
        Optional<Target> target = innermost(instances, Services.class);
        return target.isPresent() ? call(target.get().method(), target.get().instance(), run) : List.of();
    }

    /** Calls the innermost class's {@link ConfigureEntrypoint} method with {@code builder}. */
    private static void configure(List<Object> instances, Entrypoint.Builder builder) throws Exception {
        Optional<Target> target = innermost(instances, ConfigureEntrypoint.class);
        if (target.isEmpty()) {
            return;
        }
        Method method = target.get().method();
        if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != Entrypoint.Builder.class) {
            throw new ExtensionConfigurationException(
                    "@ConfigureEntrypoint method " + method + " must take exactly one Entrypoint.Builder parameter");
        }
        invoke(method, target.get().instance(), builder);
    }

    /** A method and the instance to call it on (null for a static one). */
    private record Target(Method method, Object instance) {}

    /**
     * The method annotated {@code annotation} of the innermost test instance's class (or its nearest
     * superclass that has one); more than one in that class is an error.
     */
    private static Optional<Target> innermost(List<Object> instances, Class<? extends Annotation> annotation) {
        for (int i = instances.size() - 1; i >= 0; i--) {
            Object instance = instances.get(i);
            List<Method> methods = annotatedMethods(instance.getClass(), annotation);
            if (methods.isEmpty()) {
                continue;
            }
            if (methods.size() > 1) {
                throw new ExtensionConfigurationException("more than one @" + annotation.getSimpleName() + " method in "
                        + instance.getClass().getName() + ": " + methods);
            }
            Method method = methods.getFirst();
            return Optional.of(new Target(method, Modifier.isStatic(method.getModifiers()) ? null : instance));
        }
        return Optional.empty();
    }

    /** The methods of {@code type} annotated {@code annotation}, or of its nearest superclass that has any. */
    private static List<Method> annotatedMethods(Class<?> type, Class<? extends Annotation> annotation) {
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            List<Method> found = new ArrayList<>();
            for (Method method : current.getDeclaredMethods()) {
                if (method.isAnnotationPresent(annotation) && !method.isBridge()) {
                    found.add(method);
                }
            }
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /** Calls {@code method}, rethrowing what it throws as is. */
    private static Object invoke(Method method, Object instance, Object... arguments) throws Exception {
        method.setAccessible(true);
        try {
            return method.invoke(instance, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static List<Service> call(Method method, Object instance, TestRun run) throws Exception {
        Class<?> returns = method.getReturnType();
        boolean serviceArray = returns.isArray() && Service.class.isAssignableFrom(returns.getComponentType());
        if (!Collection.class.isAssignableFrom(returns) && !serviceArray) {
            throw new ExtensionConfigurationException("@Services method " + method
                    + " must return List<Service> or Service[], not "
                    + method.getGenericReturnType().getTypeName());
        }
        Object[] arguments = new Object[method.getParameterCount()];
        Parameter[] parameters = method.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            Parameter parameter = parameters[i];
            Class<?> type = parameter.getType();
            if (parameter.isAnnotationPresent(UnusedPort.class) && (type == int.class || type == Integer.class)) {
                arguments[i] = run.ports.reserve();
            } else if (parameter.isAnnotationPresent(Localhost.class) && type == String.class) {
                arguments[i] = LoopbackHost.get();
            } else {
                throw new ExtensionConfigurationException("@Services method " + method
                        + " may take only @UnusedPort int and @Localhost String parameters, not " + parameter);
            }
        }
        Object result = invoke(method, instance, arguments);
        if (result == null) {
            throw new ExtensionConfigurationException("@Services method " + method + " returned null");
        }
        List<Service> services = new ArrayList<>();
        Collection<?> elements = result instanceof Service[] array ? Arrays.asList(array) : (Collection<?>) result;
        int index = 0;
        for (Object element : elements) {
            if (!(element instanceof Service service)) {
                throw new ExtensionConfigurationException("@Services method " + method + " returned "
                        + (element == null ? "null" : "a " + element.getClass().getName()) + " at index " + index
                        + ", not a Service");
            }
            services.add(service);
            index++;
        }
        return services;
    }

    private static void requireType(Parameter parameter, Class<?> annotation, boolean ok, String expected) {
        if (!ok) {
            throw new ParameterResolutionException("@" + annotation.getSimpleName() + " parameter " + parameter
                    + " of " + parameter.getDeclaringExecutable() + " must be " + expected + ", not "
                    + parameter.getType().getName());
        }
    }

    /** The ports of {@code context}: the test's run, or (for {@code @BeforeAll} and the like) the class's. */
    private static Ports ports(ExtensionContext context) {
        TestRun run = context.getStore(NAMESPACE).get(RUN, TestRun.class);
        if (run != null) {
            return run.ports;
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(PORTS, key -> new Ports(), Ports.class);
    }

    /** The reservations of one test (or one class's non-test methods); released when the store closes. */
    static final class Ports implements ExtensionContext.Store.CloseableResource {
        private final Queue<PortReservation> reservations = new ConcurrentLinkedQueue<>();

        int reserve() {
            PortReservation reservation = PortReservation.reserve();
            reservations.add(reservation);
            return reservation.port();
        }

        @Override
        public void close() {
            for (PortReservation reservation = reservations.poll();
                    reservation != null;
                    reservation = reservations.poll()) {
                reservation.close();
            }
        }
    }

    /** One test: its entrypoint, the scope whose failures it checks, its ports. */
    static final class TestRun implements ExtensionContext.Store.CloseableResource {
        final Ports ports = new Ports();
        volatile Entrypoint entrypoint;
        private volatile TaskScope scope;

        void track(TaskScope taskScope) {
            taskScope.trackFailures();
            scope = taskScope;
        }

        /** Closes the entrypoint, releases the ports; fails on a close failure or an unobserved task failure. */
        void finish() {
            Throwable failure = null;
            Entrypoint current = entrypoint;
            entrypoint = null;
            try {
                if (current != null) {
                    current.close();
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                ports.close();
            }
            TaskScope tracked = scope;
            Map<String, Throwable> unobserved = tracked == null ? Map.of() : tracked.unobservedFailures();
            if (!unobserved.isEmpty()) {
                AssertionError error = unobserved(unobserved);
                if (failure == null) {
                    failure = error;
                } else {
                    failure.addSuppressed(error);
                }
            }
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (failure instanceof Error error) {
                throw error;
            }
        }

        private static AssertionError unobserved(Map<String, Throwable> failures) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, Throwable> entry : failures.entrySet()) {
                names.add(entry.getKey() + " (" + entry.getValue() + ")");
            }
            AssertionError error = new AssertionError(
                    "a task failed and nobody retrieved its failure: " + String.join(", ", names),
                    failures.values().iterator().next());
            failures.values().stream().skip(1).forEach(error::addSuppressed);
            return error;
        }

        @Override
        public void close() {
            finish(); // only reached when afterEach did not run (a failure before it): release everything
        }
    }
}
