package io.aiomisc.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus's text exposition format 0.0.4, for the tests: every line must be
 * a {@code # HELP}, a {@code # TYPE} or a sample, names must be valid, label values properly
 * escaped, and every sample's family must have been typed before it.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT =
            Pattern.compile("[+-]?(Inf|NaN|[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?|\\.[0-9]+([eE][+-]?[0-9]+)?)");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    /** Parses {@code text}, failing with the offending line on the first violation. */
    static List<Sample> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new java.util.HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            try {
                if (line.startsWith("# HELP ")) {
                    String rest = line.substring(7);
                    int space = rest.indexOf(' ');
                    String name = space < 0 ? rest : rest.substring(0, space);
                    require(METRIC_NAME.matcher(name).matches(), "metric name");
                    require(helped.add(name), "a second HELP");
                    if (space >= 0) {
                        checkEscapes(rest.substring(space + 1), false);
                    }
                } else if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ", -1);
                    require(parts.length == 2, "TYPE name type");
                    require(METRIC_NAME.matcher(parts[0]).matches(), "metric name");
                    require(TYPES.contains(parts[1]), "a known type");
                    require(!types.containsKey(parts[0]), "a second TYPE");
                    types.put(parts[0], parts[1]);
                } else if (line.startsWith("#")) {
                    // a comment
                } else {
                    require(!line.isBlank(), "no blank line");
                    Sample sample = sample(line);
                    require(family(sample.name(), types) != null, "a TYPE for the sample's family, before it");
                    samples.add(sample);
                }
            } catch (AssertionError e) {
                throw new AssertionError("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return samples;
    }

    /** The first sample named {@code name} with exactly {@code labels}, or null. */
    static Sample find(List<Sample> samples, String name, Map<String, String> labels) {
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().equals(labels)) {
                return sample;
            }
        }
        return null;
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC_NAME.matcher(name).matches(), "metric name '" + name + "'");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > i, "label=value");
                String label = line.substring(i, eq);
                require(LABEL_NAME.matcher(label).matches(), "label name '" + label + "'");
                require(line.charAt(eq + 1) == '"', "a quoted label value");
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (true) {
                    require(j < line.length(), "a closed label value");
                    char c = line.charAt(j);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        require(j + 1 < line.length(), "an escape");
                        char e = line.charAt(j + 1);
                        require(e == '\\' || e == '"' || e == 'n', "a valid escape \\" + e);
                        value.append(e == 'n' ? '\n' : e);
                        j += 2;
                    } else {
                        value.append(c);
                        j++;
                    }
                }
                require(labels.put(label, value.toString()) == null, "a label given once");
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else {
                    require(line.charAt(i) == '}', "',' or '}'");
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', "a space before the value");
        String[] rest = line.substring(i + 1).split(" ", -1);
        require(rest.length == 1 || rest.length == 2, "value [timestamp]");
        require(FLOAT.matcher(rest[0]).matches(), "a float value '" + rest[0] + "'");
        if (rest.length == 2) {
            require(TIMESTAMP.matcher(rest[1]).matches(), "an integer timestamp");
        }
        double value =
                switch (rest[0]) {
                    case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN", "+NaN", "-NaN" -> Double.NaN;
                    default -> Double.parseDouble(rest[0]);
                };
        return new Sample(name, labels, value);
    }

    private static void checkEscapes(String text, boolean quotes) {
        for (int j = 0; j < text.length(); j++) {
            if (text.charAt(j) == '\\') {
                require(j + 1 < text.length(), "an escape");
                char e = text.charAt(j + 1);
                require(e == '\\' || e == 'n' || (quotes && e == '"'), "a valid escape \\" + e);
                j++;
            }
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected " + what);
        }
    }
}
