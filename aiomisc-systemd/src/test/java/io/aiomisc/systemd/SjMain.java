package io.aiomisc.systemd;

import io.aiomisc.log.LogConfig;
import io.aiomisc.log.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Child-JVM mains of the journald tests. {@code journald}: configures logging as an application
 * does ({@code LogConfig}, format {@code journald}, buffered), logs an INFO record with an MDC entry
 * and an ERROR record with an exception, closes the configuration (which writes what is buffered)
 * and prints {@code LINE=<line of the INFO call>}. {@code default-format}: prints
 * {@code DEFAULT=<LogFormat.defaultFormat()>}.
 */
final class SjMain {
    private SjMain() {}

    public static void main(String[] args) {
        switch (args[0]) {
            case "journald" -> journald();
            case "default-format" -> System.out.println("DEFAULT=" + LogFormat.defaultFormat());
            default -> throw new IllegalArgumentException("mode: " + args[0]);
        }
    }

    private static void journald() {
        LogConfig config = LogConfig.builder()
                .level("debug")
                .format(LogFormat.of("journald"))
                .buffered(true)
                .apply();
        Logger log = LoggerFactory.getLogger("sj.child");
        MDC.put("request_id", "r-1");
        int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        log.info("hello from the child");
        MDC.clear();
        log.error("it failed", new IllegalStateException("boom"));
        config.close();
        System.out.println("FORMAT=" + config.format());
        System.out.println("LINE=" + line);
    }
}
