package io.aiomisc.nats;

import io.aiomisc.stats.Counter;
import io.aiomisc.stats.Statistic;
import io.aiomisc.stats.TimeCounter;

/** Counters of a {@link WorkerNode}. */
public final class WorkerNodeStatistic extends Statistic {
    /** {@code received}: task frames fetched from the queue, refused ones included. */
    public final Counter received = counter("received");
    /** {@code running}: tasks running now. */
    public final Counter running = counter("running");
    /** {@code success}: tasks that returned a value. */
    public final Counter success = counter("success");
    /** {@code error}: tasks that threw, timed out, or could not be read (a class missing here). */
    public final Counter error = counter("error");
    /** {@code cancelled}: tasks interrupted or skipped because their producer cancelled them. */
    public final Counter cancelled = counter("cancelled");
    /** {@code bad_auth}: task or cancellation frames refused for a missing or wrong signature. */
    public final Counter badAuth = counter("bad_auth");
    /** {@code redelivered}: tasks received on a second or later delivery (another node failed them). */
    public final Counter redelivered = counter("redelivered");
    /** {@code sum_time}: time spent running tasks, in seconds. */
    public final TimeCounter sumTime = timeCounter("sum_time");

    /**
     * The statistic of one node; registered with {@code Statistics}.
     *
     * @param name the node's name in reports, or null
     */
    public WorkerNodeStatistic(String name) {
        super(name);
    }
}
