package io.aiomisc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlameGraphTest {
    /** The JSON the page embeds, between {@code const root = } and the end of that statement. */
    static String embeddedJson(String html) {
        int start = html.indexOf("const root = ");
        assertTrue(start >= 0, "no embedded data");
        start += "const root = ".length();
        int end = html.indexOf(";\n", start);
        return html.substring(start, end);
    }

    @Test
    void isSelfContainedAndEmbedsTheTree() {
        CallTree tree = new CallTree();
        tree.add(List.of("a.B.leaf", "a.B.main"));
        tree.add(List.of("a.B.other", "a.B.main"));
        tree.add(List.of("a.B.leaf", "a.B.main"));
        String html = FlameGraph.html("Profile <1> & \"2\"", tree);
        assertFalse(html.contains("http://"), html);
        assertFalse(html.contains("https://"), html);
        assertFalse(html.contains("src="), html);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<script>") && html.strip().endsWith("</script></body></html>"), html);
        assertTrue(html.contains("<title>Profile &lt;1&gt; &amp; &quot;2&quot;</title>"), html);
        assertTrue(html.contains("<span>3 samples</span>"), html);
        assertEquals(
                Map.of(
                        "n",
                        "all",
                        "v",
                        3L,
                        "s",
                        0L,
                        "c",
                        List.of(Map.of(
                                "n",
                                "a.B.main",
                                "v",
                                3L,
                                "s",
                                0L,
                                "c",
                                List.of(
                                        Map.of("n", "a.B.leaf", "v", 2L, "s", 2L),
                                        Map.of("n", "a.B.other", "v", 1L, "s", 1L))))),
                MiniJson.parse(embeddedJson(html)));
    }

    @Test
    void escapesHostileFrameNames() {
        String hostile = "q\"uote \\back </script><img src=x onerror=alert(1)> & \u0001\n\t\u2028\u2029 é";
        CallTree tree = new CallTree();
        tree.add(List.of(hostile, "main"));
        String html = FlameGraph.html("</script>", tree);
        // the only closing script tag is the page's own
        assertEquals(html.lastIndexOf("</script>"), html.indexOf("</script>"), html);
        assertFalse(html.contains("<img"), html);
        String json = embeddedJson(html);
        for (char c : json.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x2028 && c != 0x2029 && c != '<' && c != '>' && c != '&', json);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(json);
        @SuppressWarnings("unchecked")
        Map<String, Object> main = ((List<Map<String, Object>>) root.get("c")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> leaf = ((List<Map<String, Object>>) main.get("c")).get(0);
        assertEquals(hostile, leaf.get("n"));
        assertEquals(1L, leaf.get("s"));
    }

    @Test
    void anEmptyTreeIsAPage() {
        String html = FlameGraph.html("empty", new CallTree());
        assertEquals(Map.of("n", "all", "v", 0L, "s", 0L), MiniJson.parse(embeddedJson(html)));
        assertTrue(html.contains("<span>0 samples</span>"), html);
    }
}
