package io.aiomisc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test's own parser must refuse what the format refuses, or its passing proves nothing. */
class PrometheusTextTest {
    @Test
    void parsesAValidExposition() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP a_b Some \\\\ help\\n
                # TYPE a_b gauge
                a_b{name="x\\"y\\\\z\\n",k="v",} 1.5 1700000000000
                a_b 2.0
                # TYPE h histogram
                h_bucket{le="+Inf"} 3
                h_count 3
                h_sum NaN
                """);
        assertEquals(5, samples.size());
        assertEquals(Map.of("name", "x\"y\\z\n", "k", "v"), samples.get(0).labels());
        assertEquals(1.5, samples.get(0).value());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a 1\n", // no TYPE
                "# TYPE a gauge\n1a 1\n", // bad metric name
                "# TYPE a gauge\na{1x=\"v\"} 1\n", // bad label name
                "# TYPE a gauge\na{x=\"v} 1\n", // unclosed label value
                "# TYPE a gauge\na{x=\"\\t\"} 1\n", // bad escape
                "# TYPE a gauge\na one\n", // not a number
                "# TYPE a gauge\na 1 1.5\n", // bad timestamp
                "# TYPE a gauge\na 1", // no final line feed
                "# TYPE a gauge\n# TYPE a gauge\na 1\n", // typed twice
                "# TYPE a thing\na 1\n", // unknown type
                "# TYPE a gauge\n\na 1\n", // blank line
                "# TYPE a gauge\na_count 1\n", // a gauge has no _count
            })
    void refusesWhatTheFormatRefuses(String text) {
        assertThrows(AssertionError.class, () -> PrometheusText.parse(text));
    }
}
