package io.aiomisc.plugin;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery of {@link Plugin}s, once per JVM, and aiomisc's plugin-listing command line.
 *
 * <p>{@link #loaded()} finds the plugins with {@link ServiceLoader}, calls each one's
 * {@link Plugin#setup()} and remembers the result; later calls return the same map. The entrypoint
 * calls it when it is built, so plugins connect to the class signals before an entrypoint takes
 * its snapshot of them. A non-empty {@code AIOMISC_NO_PLUGINS} environment variable disables
 * discovery. A plugin that fails to load or to set up is logged at ERROR and skipped; so is a
 * second plugin with a name already taken.
 *
 * <p>Command line ({@code java -cp ... io.aiomisc.plugin.Plugins [options]}): prints the names of
 * the plugins, one per line, on stdout, and a human-readable log ("Available 1 plugins." and one
 * line per plugin with its description) on stderr.
 * <pre>
 *   -q, -s, --quiet, --silent   no log, only the list (same as --log-level critical)
 *   -n, --no-output             no list on stdout, only the log
 *   -l, --log-level LEVEL       critical, error, warning, info (default), debug, notset
 *   -F, --log-format FORMAT     stream, color, json, syslog, plain, journald, rich, rich_tb, disabled
 *   -h, --help                  usage
 * </pre>
 * The log goes through the logging module when one is on the class path (so {@code -F} applies);
 * otherwise it is written to stderr directly.
 */
public final class Plugins {
    private static final Logger log = LoggerFactory.getLogger(Plugins.class);
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static Map<String, Plugin> loaded; // guarded by LOCK

    /** The environment variable that disables plugin discovery when non-empty. */
    public static final String NO_PLUGINS_ENV = "AIOMISC_NO_PLUGINS";

    private Plugins() {}

    /**
     * The plugins of this JVM by name, in discovery order, discovering and setting them up on the
     * first call. Thread-safe; concurrent first callers wait for one discovery.
     *
     * <p>The first call <b>blocks</b> while the plugins' {@code setup()} run (on the calling
     * thread, under the discovery lock); an interrupt is their business. Uses the calling thread's
     * context class loader and the process environment.
     *
     * @return the plugins that loaded and set up, by name, in discovery order; unmodifiable, the same
     *         map on every call
     */
    public static Map<String, Plugin> loaded() {
        LOCK.lock();
        try {
            if (loaded == null) {
                loaded = discover(Thread.currentThread().getContextClassLoader(), System.getenv());
            }
            return loaded;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Discovers the plugins visible to {@code loader} and sets each up, honouring
     * {@code AIOMISC_NO_PLUGINS} in {@code environment}. Each call discovers and sets up anew;
     * {@link #loaded()} is the once-per-JVM form.
     *
     * @param loader      where {@link ServiceLoader} looks for {@code Plugin} providers
     * @param environment the environment to read {@code AIOMISC_NO_PLUGINS} from
     * @return the plugins that loaded and set up, by name, unmodifiable
     * @throws NullPointerException if {@code environment} is null
     */
    public static Map<String, Plugin> discover(ClassLoader loader, Map<String, String> environment) {
        String disabled = environment.get(NO_PLUGINS_ENV);
        if (disabled != null && !disabled.isEmpty()) {
            log.debug("Plugins are disabled by {}={}", NO_PLUGINS_ENV, disabled);
            return Map.of();
        }
        Map<String, Plugin> found = new LinkedHashMap<>();
        Iterator<Plugin> providers = ServiceLoader.load(Plugin.class, loader).iterator();
        while (true) {
            Plugin plugin;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                plugin = providers.next();
            } catch (ServiceConfigurationError e) {
                log.error("Failed to load an aiomisc plugin", e);
                continue;
            }
            String name;
            try {
                name = plugin.name();
            } catch (RuntimeException e) {
                log.error(
                        "Failed to get the name of aiomisc plugin {}",
                        plugin.getClass().getName(),
                        e);
                continue;
            }
            if (found.containsKey(name)) {
                log.error(
                        "Skipping aiomisc plugin {} ({}): the name is taken by {}",
                        name,
                        plugin.getClass().getName(),
                        found.get(name).getClass().getName());
                continue;
            }
            found.put(name, plugin);
        }
        Map<String, Plugin> ready = new LinkedHashMap<>();
        for (Map.Entry<String, Plugin> entry : found.entrySet()) {
            try {
                entry.getValue().setup();
                ready.put(entry.getKey(), entry.getValue());
            } catch (Exception e) {
                log.error("Error on {} aiomisc plugin setup; the plugin is skipped", entry.getKey(), e);
            }
        }
        return Collections.unmodifiableMap(ready);
    }

    /**
     * The first {@link LogConfigurator} on the class path, if any: the logging module's. Looked up
     * once per JVM, on first use; a provider that fails to load is logged and counts as none.
     *
     * @return the configurator, or empty without a logging module
     */
    public static Optional<LogConfigurator> logConfigurator() {
        return ConfiguratorHolder.CONFIGURATOR;
    }

    private static final class ConfiguratorHolder {
        static final Optional<LogConfigurator> CONFIGURATOR = find();

        private static Optional<LogConfigurator> find() {
            try {
                return ServiceLoader.load(LogConfigurator.class, Plugins.class.getClassLoader())
                        .findFirst();
            } catch (ServiceConfigurationError e) {
                log.error("Failed to load the logging configurator; logging is left as it is", e);
                return Optional.empty();
            }
        }
    }

    /**
     * Lists the plugins; see the class description. Exits with status 2 on a usage error.
     * Discovers and sets up the plugins first, even for {@code --help}.
     *
     * @param args the command line options
     */
    public static void main(String[] args) {
        int status = run(args, loaded(), System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * The command line's work, with its streams given: lists {@code plugins} as {@code args} ask.
     * When a logging module is present it is configured (JVM-wide) with the chosen level and format,
     * and the human-readable log goes through it rather than to {@code err}.
     *
     * @param args    the command line options
     * @param plugins the plugins to list, by name
     * @param out     receives the plugin names, one per line, and the usage for {@code --help}
     * @param err     receives the human-readable log (without a logging module) and usage errors
     * @return the exit status: 0, or 2 for a usage error
     */
    public static int run(String[] args, Map<String, Plugin> plugins, PrintStream out, PrintStream err) {
        String level = "info";
        String format = null;
        boolean list = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            try {
                switch (arg) {
                    case "-q", "-s", "--quiet", "--silent" -> level = "critical";
                    case "-n", "--no-output" -> list = false;
                    case "-l", "--log-level" -> level = LogNames.level(arg, value(args, ++i, arg));
                    case "-F", "--log-format" -> format = LogNames.format(arg, value(args, ++i, arg));
                    case "-h", "--help" -> {
                        out.print(usage());
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option: " + arg);
                }
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                err.print(usage());
                return 2;
            }
        }
        HumanLog human = HumanLog.open(level, format, err);
        human.info("Available " + plugins.size() + " plugins.");
        for (Plugin plugin : plugins.values()) {
            human.info("'" + plugin.name() + "' - " + plugin.description());
        }
        if (list) {
            for (String name : plugins.keySet()) {
                out.println(name);
            }
        }
        out.flush();
        return 0;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static String usage() {
        return """
                usage: java io.aiomisc.plugin.Plugins [-h] [-q] [-n] [-l LEVEL] [-F FORMAT]
                  -q, -s, --quiet, --silent  disable logs and just output the plugin list (= --log-level critical)
                  -n, --no-output            do not print the plugin list to stdout
                  -l, --log-level LEVEL      one of %s
                  -F, --log-format FORMAT    one of %s
                """.formatted(String.join(", ", LogNames.LEVELS), String.join(", ", LogNames.FORMATS));
    }

    /** The CLI's human-readable log: through the logging module if present, else straight to stderr. */
    private record HumanLog(boolean enabled, boolean viaLogging, PrintStream err) {
        static HumanLog open(String level, String format, PrintStream err) {
            boolean enabled = LogNames.LEVELS.indexOf(level) >= LogNames.LEVELS.indexOf("info");
            Optional<LogConfigurator> configurator = logConfigurator();
            if (configurator.isPresent()) {
                String chosen = format != null ? format : configurator.get().defaultFormat();
                configurator.get().configure(new LogSettings(level, chosen, null, false, 1, Duration.ofMillis(200)));
                return new HumanLog(enabled, true, err);
            }
            return new HumanLog(enabled, false, err);
        }

        void info(String message) {
            if (!enabled) {
                return;
            }
            if (viaLogging) {
                log.info(message);
            } else {
                err.println("[" + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] INFO     "
                        + message);
            }
        }
    }
}
