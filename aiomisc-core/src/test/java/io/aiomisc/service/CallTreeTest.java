package io.aiomisc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallTreeTest {
    private static CallTree.MethodSamples m(String name, long self, long total) {
        return new CallTree.MethodSamples(name, self, total);
    }

    @Test
    void selfCountsOnlyTheRunningFrame() {
        CallTree tree = new CallTree();
        tree.add(List.of("leaf", "mid", "main"));
        assertEquals(1, tree.samples());
        assertEquals(List.of(m("leaf", 1, 1), m("main", 0, 1), m("mid", 0, 1)), tree.top(10, true));
        CallTree.Node main = tree.root().children.get("main");
        CallTree.Node leaf = main.children.get("mid").children.get("leaf");
        assertEquals(0, main.self);
        assertEquals(1, leaf.self);
        assertEquals(1, leaf.total);
    }

    @Test
    void recursionCountsATotalOncePerSample() {
        CallTree tree = new CallTree();
        tree.add(List.of("f", "f", "f", "main"));
        tree.add(List.of("g", "f", "main"));
        assertEquals(List.of(m("f", 1, 2), m("g", 1, 1), m("main", 0, 2)), tree.top(10, true));
        CallTree.Node f1 = tree.root().children.get("main").children.get("f");
        CallTree.Node f2 = f1.children.get("f");
        CallTree.Node f3 = f2.children.get("f");
        // in the tree each call path counts: the outer f saw both samples, the inner ones one
        assertEquals(2, f1.total);
        assertEquals(1, f2.total);
        assertEquals(1, f3.total);
        assertEquals(1, f3.self);
        assertEquals(0, f1.self);
        assertEquals(1, f1.children.get("g").self);
    }

    @Test
    void treeTotalsAddUp() {
        CallTree tree = new CallTree();
        tree.add(List.of("a", "main"));
        tree.add(List.of("a", "main"));
        tree.add(List.of("b", "main"));
        tree.add(List.of("b", "other"));
        tree.add(List.of());
        assertEquals(5, tree.samples());
        assertEquals(5, tree.root().total);
        assertEquals("all", tree.root().name);
        CallTree.Node main = tree.root().children.get("main");
        assertEquals(3, main.total);
        assertEquals(2, main.children.get("a").total);
        assertEquals(2, main.children.get("a").self);
        assertEquals(1, main.children.get("b").total);
        assertEquals(1, tree.root().children.get("other").total);
        assertEquals(1, tree.root().children.get("other").children.get("b").self);
        assertEquals(2, tree.root().children.size());
    }

    @Test
    void topOrdersByCountThenTheOtherCountThenName() {
        CallTree tree = new CallTree();
        tree.add(List.of("x", "main"));
        tree.add(List.of("x", "main"));
        tree.add(List.of("z", "main"));
        tree.add(List.of("y", "main"));
        tree.add(List.of("y", "w"));
        tree.add(List.of("w"));
        // self: x 2, y 2, z 1, w 1, main 0; total: main 4, y 2, x 2, w 2, z 1
        assertEquals(
                List.of(m("x", 2, 2), m("y", 2, 2), m("w", 1, 2), m("z", 1, 1), m("main", 0, 4)), tree.top(10, true));
        // total ties (2): more self first, then by name
        assertEquals(
                List.of(m("main", 0, 4), m("x", 2, 2), m("y", 2, 2), m("w", 1, 2), m("z", 1, 1)), tree.top(10, false));
        assertEquals(List.of(m("x", 2, 2), m("y", 2, 2)), tree.top(2, true));
        assertEquals(List.of(m("main", 0, 4)), tree.top(1, false));
        assertEquals(List.of(), new CallTree().top(3, true));
    }
}
