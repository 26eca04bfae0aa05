package io.aiomisc.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * aiomisc's (Python's) log levels as Logback events carry them. SLF4J has no level above ERROR, so
 * a critical record is an ERROR record with the {@link #CRITICAL_MARKER} marker (or a marker named
 * {@code FATAL}): {@code log.error(Severity.CRITICAL_MARKER, "disk on fire")}.
 */
public enum Severity {
    /** ERROR with the critical marker: Python's CRITICAL (50). */
    CRITICAL("CRITICAL", "fatal", 2),
    /** ERROR (40). */
    ERROR("ERROR", "error", 3),
    /** WARN (30). */
    WARNING("WARNING", "warn", 4),
    /** INFO (20). */
    INFO("INFO", "info", 6),
    /** DEBUG (10). */
    DEBUG("DEBUG", "debug", 7),
    /** TRACE, below Python's DEBUG. */
    TRACE("TRACE", "trace", 7);

    /** The marker that makes an ERROR record critical. */
    public static final Marker CRITICAL_MARKER = MarkerFactory.getMarker("CRITICAL");

    private final String pythonName;
    private final String jsonName;
    private final int syslogSeverity;

    Severity(String pythonName, String jsonName, int syslogSeverity) {
        this.pythonName = pythonName;
        this.jsonName = jsonName;
        this.syslogSeverity = syslogSeverity;
    }

    /**
     * The severity of {@code event}: ERROR with {@link #CRITICAL_MARKER} (or a marker named
     * {@code FATAL}) is {@link #CRITICAL}; below DEBUG is {@link #TRACE}.
     *
     * @param event the record
     * @return its severity
     * @throws NullPointerException if {@code event} or its level is null
     */
    public static Severity of(ILoggingEvent event) {
        Level level = event.getLevel();
        if (level.levelInt >= Level.ERROR_INT) {
            return isCritical(event.getMarkerList()) ? CRITICAL : ERROR;
        }
        if (level.levelInt >= Level.WARN_INT) {
            return WARNING;
        }
        if (level.levelInt >= Level.INFO_INT) {
            return INFO;
        }
        return level.levelInt >= Level.DEBUG_INT ? DEBUG : TRACE;
    }

    private static boolean isCritical(List<Marker> markers) {
        if (markers == null) {
            return false;
        }
        for (Marker marker : markers) {
            if (marker.contains(CRITICAL_MARKER) || marker.contains("FATAL")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The level's name in aiomisc's text formats: {@code WARNING}, {@code CRITICAL}, ...
     *
     * @return the upper-case name
     */
    public String pythonName() {
        return pythonName;
    }

    /**
     * The level's name in aiomisc's JSON format: {@code warn}, {@code fatal}, ...
     *
     * @return the lower-case name
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The RFC 5424 severity: 2 critical, 3 error, 4 warning, 6 informational, 7 debug (also for
     * trace, which syslog lacks).
     *
     * @return the severity number
     */
    public int syslogSeverity() {
        return syslogSeverity;
    }
}
