package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * This module's tests see core's test helpers but none of core's own test configuration, whether
 * Maven hands them core's test jar ({@code verify}) or core's {@code target/test-classes}
 * ({@code mvn test}, where no jar is built).
 */
class TestClassPathTest {
    private static List<URL> resources(String name) throws IOException {
        return Collections.list(TestClassPathTest.class.getClassLoader().getResources(name));
    }

    @Test
    void onlyThisModulesLogbackTestXmlIsOnTheClassPath() throws IOException {
        // two copies make Logback print its status block on stdout in every child JVM of these tests
        List<URL> found = resources("logback-test.xml");
        assertEquals(1, found.size(), found::toString);
        assertTrue(found.get(0).toString().contains("aiomisc-log"), found::toString);
    }

    @Test
    void coresTestPluginsAreNotOnTheClassPath() throws IOException {
        List<URL> found = resources("META-INF/services/io.aiomisc.plugin.Plugin");
        assertEquals(List.of(), found);
    }
}
