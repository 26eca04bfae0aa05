package io.aiomisc.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Execution samples aggregated for {@link Profiler}: a call tree (root = all samples, children =
 * callees) and, per method, self samples (the method was running) and total samples (the method
 * was on the stack). Not thread-safe: the profiler guards it.
 */
final class CallTree {
    private final Node root = new Node("all");
    private final Map<String, long[]> methods = new HashMap<>(); // name → {self, total}
    private long samples;

    /** Adds one sample; {@code frames} from the running method (index 0) outwards. */
    void add(List<String> frames) {
        samples++;
        root.total++;
        Node node = root;
        Set<String> seen = new HashSet<>();
        for (int i = frames.size() - 1; i >= 0; i--) {
            String frame = frames.get(i);
            node = node.child(frame);
            node.total++;
            if (seen.add(frame)) {
                methods.computeIfAbsent(frame, k -> new long[2])[1]++;
            }
        }
        if (!frames.isEmpty()) {
            node.self++;
            methods.computeIfAbsent(frames.get(0), k -> new long[2])[0]++;
        }
    }

    long samples() {
        return samples;
    }

    Node root() {
        return root;
    }

    /** The top {@code limit} methods by self ({@code bySelf}) or total samples. */
    List<MethodSamples> top(int limit, boolean bySelf) {
        List<MethodSamples> all = new ArrayList<>(methods.size());
        methods.forEach((name, counts) -> all.add(new MethodSamples(name, counts[0], counts[1])));
        all.sort((a, b) -> {
            int byCount = bySelf ? Long.compare(b.self(), a.self()) : Long.compare(b.total(), a.total());
            if (byCount != 0) {
                return byCount;
            }
            int other = bySelf ? Long.compare(b.total(), a.total()) : Long.compare(b.self(), a.self());
            return other != 0 ? other : a.method().compareTo(b.method());
        });
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    /** One method's samples. */
    record MethodSamples(String method, long self, long total) {}

    /** A frame in a call path. */
    static final class Node {
        final String name;
        final Map<String, Node> children = new HashMap<>();
        long total;
        long self;

        Node(String name) {
            this.name = name;
        }

        Node child(String frame) {
            Node child = children.get(frame);
            if (child == null) {
                child = new Node(frame);
                children.put(frame, child);
            }
            return child;
        }
    }
}
