package io.aiomisc.log;

/**
 * What a logging call does when the buffer of a {@link BufferedAppender} is full: the writer
 * thread has fallen behind, typically because the output blocks (a paused pipe, a slow disk).
 * Neither policy throws into the logging call, and every record given up is counted (statistic
 * {@code dropped}) and reported by a warning once output resumes.
 */
public enum OverflowPolicy {
    /**
     * The default: the caller waits for room, at most the appender's {@code maxWait} (200 ms by
     * default), then drops its record. While the writer stays stuck after such a timeout, later
     * callers drop at once instead of each waiting again. With a writer that keeps up, nothing is
     * lost.
     */
    WAIT,
    /** The caller never waits: a record that does not fit is dropped. */
    DROP
}
