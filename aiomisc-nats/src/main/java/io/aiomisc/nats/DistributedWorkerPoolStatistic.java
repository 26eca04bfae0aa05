package io.aiomisc.nats;

import io.aiomisc.stats.Counter;
import io.aiomisc.stats.Statistic;
import io.aiomisc.stats.TimeCounter;

/**
 * Counters of a {@link DistributedWorkerPool}: the local {@code WorkerPoolStatistic}'s names where
 * they carry over, plus {@code redelivered}.
 */
public final class DistributedWorkerPoolStatistic extends Statistic {
    /** {@code processes}: worker nodes of the pool seen alive now (they announce themselves every 2 s). */
    public final Counter processes = counter("processes");
    /** {@code task_added}: tasks accepted by {@code createTask}. */
    public final Counter taskAdded = counter("task_added");
    /** {@code submitted}: tasks stored by JetStream (acknowledged by the broker). */
    public final Counter submitted = counter("submitted");
    /** {@code done}: tasks that finished, however they ended (cancelled ones excluded). */
    public final Counter done = counter("done");
    /** {@code success}: tasks that returned a value. */
    public final Counter success = counter("success");
    /** {@code error}: tasks that failed (their own exception, a refusal by the node, or deliveries exhausted). */
    public final Counter error = counter("error");
    /** {@code bad_auth}: result or cancellation frames refused for a missing or wrong signature. */
    public final Counter badAuth = counter("bad_auth");
    /** {@code redelivered}: tasks whose result came from a second or later delivery. */
    public final Counter redelivered = counter("redelivered");
    /** {@code sum_time}: time from publishing tasks to their outcome, in seconds. */
    public final TimeCounter sumTime = timeCounter("sum_time");

    /**
     * The statistic of one pool; registered with {@code Statistics}.
     *
     * @param name the pool's name in reports, or null
     */
    public DistributedWorkerPoolStatistic(String name) {
        super(name);
    }
}
