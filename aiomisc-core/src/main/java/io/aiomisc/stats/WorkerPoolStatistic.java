package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.worker.WorkerPool}. Every one is maintained (aiomisc declares
 * most of them and never updates them).
 */
public final class WorkerPoolStatistic extends Statistic {
    /** {@code processes}: workers connected and authenticated now. */
    public final Counter processes = counter("processes");
    /** {@code spawning}: worker processes started so far, replacements included. */
    public final Counter spawning = counter("spawning");
    /** {@code task_added}: tasks accepted by {@code createTask}. */
    public final Counter taskAdded = counter("task_added");
    /** {@code submitted}: tasks handed to a worker. */
    public final Counter submitted = counter("submitted");
    /** {@code done}: tasks handed to a worker that finished, however they ended. */
    public final Counter done = counter("done");
    /** {@code success}: tasks that returned a value. */
    public final Counter success = counter("success");
    /** {@code error}: tasks that failed (their own exception, or their worker died). */
    public final Counter error = counter("error");
    /** {@code bad_auth}: connections closed before a valid proof (wrong HMAC, bad frame, timeout). */
    public final Counter badAuth = counter("bad_auth");
    /** {@code sum_time}: time from handing tasks to a worker to their outcome, in seconds. */
    public final TimeCounter sumTime = timeCounter("sum_time");

    /**
     * The statistic of one worker pool; registered with {@link Statistics}.
     *
     * @param name the pool's name in reports, or null
     */
    public WorkerPoolStatistic(String name) {
        super(name);
    }
}
