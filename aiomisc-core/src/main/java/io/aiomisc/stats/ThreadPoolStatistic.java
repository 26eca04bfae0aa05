package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.thread.ThreadPool} (named {@code "default"} for the
 * entrypoint's pool): live worker {@code threads}, tasks {@code submitted}, {@code done} (finished
 * either way), {@code success}, {@code error}, and {@code sum_time} spent running them, in seconds.
 */
public final class ThreadPoolStatistic extends Statistic {
    /** {@code threads}: live worker threads. */
    public final Counter threads = counter("threads");
    /** {@code error}: tasks that threw. */
    public final Counter error = counter("error");
    /** {@code success}: tasks that returned. */
    public final Counter success = counter("success");
    /** {@code submitted}: tasks submitted. */
    public final Counter submitted = counter("submitted");
    /** {@code sum_time}: the time spent running tasks, in seconds. */
    public final TimeCounter sumTime = timeCounter("sum_time");

    /**
     * The statistic of one thread pool; registered with {@link Statistics}.
     *
     * @param name the pool's name in reports, or null
     */
    public ThreadPoolStatistic(String name) {
        super(name);
        derived("done", () -> done());
    }

    /**
     * Tasks finished either way.
     *
     * @return {@code success + error}
     */
    public long done() {
        return success.value() + error.value();
    }
}
