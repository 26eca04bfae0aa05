package io.aiomisc.stats;

/** Counters of an entrypoint's {@code io.aiomisc.Context}: reads ({@code get}) and writes ({@code set}). */
public final class ContextStatistic extends Statistic {
    /** Calls of {@code Context.get}. */
    public final Counter get = counter("get");
    /** Calls of {@code Context.set}. */
    public final Counter set = counter("set");

    /**
     * The statistic of one context; registered with {@link Statistics}.
     *
     * @param name the instance's name in reports, or null
     */
    public ContextStatistic(String name) {
        super(name);
    }
}
