package io.aiomisc.plugin;

/** Test plugins that fail in each way discovery must survive. */
final class BrokenPlugins {
    private BrokenPlugins() {}

    public static final class FailingSetup implements Plugin {
        @Override
        public void setup() {
            throw new IllegalStateException("setup failed on purpose");
        }
    }

    public static final class FailingConstructor implements Plugin {
        public FailingConstructor() {
            throw new IllegalStateException("constructor failed on purpose");
        }

        @Override
        public void setup() {}
    }

    public static final class DuplicateName implements Plugin {
        @Override
        public String name() {
            return "good";
        }

        @Override
        public void setup() {
            throw new AssertionError("a plugin whose name is taken is never set up");
        }
    }
}
