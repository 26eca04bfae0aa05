/**
 * aiomisc-java test support: the JUnit Jupiter extension ({@link io.aiomisc.junit.AiomiscTest}) and
 * the fault-injection {@link io.aiomisc.junit.TcpProxy}.
 */
module io.aiomisc.junit {
    requires transitive io.aiomisc.core;
    requires transitive org.junit.jupiter.api;

    exports io.aiomisc.junit;

    // JUnit instantiates the extension reflectively
    opens io.aiomisc.junit to
            org.junit.platform.commons;
}
