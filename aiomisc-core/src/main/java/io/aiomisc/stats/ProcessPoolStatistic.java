package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.worker.ProcessPoolExecutor}: worker {@code processes} connected
 * now, tasks {@code submitted}, {@code done} (however they ended), {@code success}, {@code error},
 * and {@code sum_time} from submission to outcome, in seconds.
 */
public final class ProcessPoolStatistic extends Statistic {
    /** {@code processes}: worker processes connected now. */
    public final Counter processes = counter("processes");
    /** {@code submitted}: tasks accepted. */
    public final Counter submitted = counter("submitted");
    /** {@code done}: tasks finished, however they ended. */
    public final Counter done = counter("done");
    /** {@code success}: tasks that returned. */
    public final Counter success = counter("success");
    /** {@code error}: tasks that failed or were cancelled. */
    public final Counter error = counter("error");
    /** {@code sum_time}: time from submission to outcome, in seconds. */
    public final TimeCounter sumTime = timeCounter("sum_time");

    /**
     * The statistic of one process pool executor; registered with {@link Statistics}.
     *
     * @param name the executor's name in reports, or null
     */
    public ProcessPoolStatistic(String name) {
        super(name);
    }
}
