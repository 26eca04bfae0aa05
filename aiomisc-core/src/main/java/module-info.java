/**
 * aiomisc-java core: the entrypoint, services, context, signals, tasks, threads, statistics and
 * plugins. Depends on slf4j-api only.
 */
module io.aiomisc.core {
    requires transitive org.slf4j;
    // sun.misc.Signal: the only way to turn SIGINT/SIGTERM into a graceful stop on the JVM.
    requires jdk.unsupported;
    // the JVM options a worker JVM inherits (RuntimeMXBean.getInputArguments)
    requires java.management;
    // MemoryTracer: the GC.class_histogram diagnostic command's MBean lives in jdk.management
    requires jdk.management;
    // Profiler: JFR's execution samples, streamed in process
    requires jdk.jfr;

    exports io.aiomisc;
    exports io.aiomisc.dependency;
    exports io.aiomisc.io;
    exports io.aiomisc.net;
    exports io.aiomisc.plugin;
    exports io.aiomisc.schedule;
    exports io.aiomisc.service;
    exports io.aiomisc.stats;
    exports io.aiomisc.task;
    exports io.aiomisc.thread;
    exports io.aiomisc.time;
    exports io.aiomisc.resilience;
    exports io.aiomisc.pool;
    exports io.aiomisc.worker;
    // argument checks and time arithmetic shared with the logging, metrics and Sentry modules, and
    // the task scope whose unobserved failures the JUnit extension reports; not API
    exports io.aiomisc.internal to
            io.aiomisc.junit,
            io.aiomisc.log,
            io.aiomisc.metrics,
            io.aiomisc.nats,
            io.aiomisc.sentry;

    // Java serialization with the worker pool's size limit and ObjectInputFilter, and exceptions on the
    // wire: what the NATS worker pool shares with the local one; not API
    exports io.aiomisc.internal.process to
            io.aiomisc.nats;

    uses io.aiomisc.plugin.Plugin;
    uses io.aiomisc.io.CompressionProvider;
    uses io.aiomisc.plugin.LogConfigurator;
}
