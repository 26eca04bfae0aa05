package io.aiomisc.log;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.DefaultJoranConfigurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.aiomisc.plugin.LogNames;
import java.io.PrintStream;
import java.util.Map;

/**
 * Logback's configuration before anything else configures it: aiomisc's format and level, from
 * {@code AIOMISC_LOG_LEVEL} (default {@code info}), {@code AIOMISC_LOG_FORMAT} (default
 * {@link LogFormat#defaultFormat()}) and {@code AIOMISC_LOG_DATE_FORMAT}, unbuffered. Without it,
 * whatever a program logs before its entrypoint starts — the entrypoint's own first lines
 * included — would go through Logback's fallback: every DEBUG record, in another format, on
 * standard output, where it corrupts a JSON log stream.
 *
 * <p>It steps aside when the application configures Logback itself: a {@code logback-test.xml}
 * or {@code logback.xml} on the class path, the {@code logback.configurationFile} or
 * {@code logback.scmoFile} system property, or a custom configurator of higher rank. A variable
 * with a bad value is skipped with one line on standard error naming the variable and the value
 * (the entrypoint rejects it when it is built); nothing of Logback's status reaches standard
 * output ({@link StartupStatus}). It starts no thread and installs no handler.
 *
 * <p>Found by {@link java.util.ServiceLoader} as Logback's {@link Configurator}; there is nothing
 * to call. Its rank is Logback's default for a custom configurator,
 * {@code ConfiguratorRank.CUSTOM_LOW_PRIORITY} (20), which it gets by carrying no
 * {@code @ConfiguratorRank}: reading that annotation costs Logback's start-up a dynamic proxy
 * class.
 */
public final class StartupConfigurator extends ContextAwareBase implements Configurator {
    private final Map<String, String> environment;
    private final boolean stepsAside;
    private final PrintStream err;

    /** For {@link java.util.ServiceLoader}: reads the process environment. */
    public StartupConfigurator() {
        this(System.getenv(), true, null);
    }

    /**
     * @param stepsAside whether to look for the application's own configuration (tests of the
     *                   configuration itself turn it off: their class path has one)
     * @param err        where the start-up's warnings go; null for {@code System.err} at the time
     */
    StartupConfigurator(Map<String, String> environment, boolean stepsAside, PrintStream err) {
        this.environment = environment;
        this.stepsAside = stepsAside;
        this.err = err;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (stepsAside && applicationConfigures(context)) {
            addInfo("aiomisc-log leaves logging to the application's Logback configuration");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        StartupStatus status = new StartupStatus(err);
        context.getStatusManager().add(status);
        try {
            return configureFromEnvironment(context);
        } finally {
            status.done();
        }
    }

    private ExecutionStatus configureFromEnvironment(LoggerContext context) {
        LogConfig.Builder builder = LogConfig.builder().buffered(false);
        String level = variable(LogNames.LEVEL_VARIABLE);
        if (level != null) {
            try {
                builder.level(LogNames.level(LogNames.LEVEL_VARIABLE, level));
            } catch (IllegalArgumentException e) {
                addWarn(e.getMessage() + "; using info");
            }
        }
        String format = variable(LogNames.FORMAT_VARIABLE);
        if (format != null) {
            try {
                LogFormat chosen = LogFormat.of(LogNames.format(LogNames.FORMAT_VARIABLE, format));
                if (chosen.isAvailable()) {
                    builder.format(chosen);
                } else {
                    addWarn(LogNames.FORMAT_VARIABLE + "=" + format + " needs " + chosen.missingModule()
                            + "; using the default format");
                }
            } catch (IllegalArgumentException e) {
                addWarn(e.getMessage() + "; using the default format");
            }
        }
        String dateFormat = variable(LogNames.DATE_FORMAT_VARIABLE);
        if (dateFormat != null) {
            try {
                builder.dateFormat(LogNames.DATE_FORMAT_VARIABLE, dateFormat);
            } catch (IllegalArgumentException e) {
                addWarn(e.getMessage() + "; using the format's date format");
            }
        }
        try {
            builder.apply(context, false);
        } catch (RuntimeException e) {
            addError("aiomisc-log could not configure logging; Logback's default applies", e);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        addInfo("aiomisc-log configured logging: " + LogConfig.current());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
    /** The variable's value, or null if it is unset or blank. */
    private String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Whether Logback would find a configuration the application supplies. */
    static boolean applicationConfigures(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null) {
            return true;
        }
        DefaultJoranConfigurator joran = new DefaultJoranConfigurator();
        joran.setContext(context);
        return joran.findURLOfDefaultConfigurationFile(false) != null;
    }
}
