package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.thread.ThreadPool} (named {@code "default"} for the
 * entrypoint's pool): live worker {@code threads}, tasks {@code submitted}, {@code done} (finished
 * either way), {@code success}, {@code error}, and {@code sum_time} spent running them, in seconds.
 */
public final class ThreadPoolStatistic extends Statistic {
    public final Counter threads = counter("threads");
    public final Counter error = counter("error");
    public final Counter success = counter("success");
    public final Counter submitted = counter("submitted");
    public final TimeCounter sumTime = timeCounter("sum_time");

    public ThreadPoolStatistic(String name) {
        super(name);
        derived("done", () -> done());
    }

    /** Tasks finished either way: {@code success + error}. */
    public long done() {
        return success.value() + error.value();
    }
}
