package io.aiomisc.schedule;

import java.time.Duration;

/**
 * Decides how long a {@link RecurringCallback} waits before its next call: aiomisc's strategy
 * function. Called before every call, on the recurring callback's thread.
 *
 * <p>Return the delay (a negative one is used as zero, with a warning); return null to stop;
 * throw {@link StrategySkip} to wait without calling, {@link StrategyStop} to stop. Any other
 * exception stops the recurrence and is logged.
 */
@FunctionalInterface
public interface Strategy {
    /**
     * The delay before the next call.
     *
     * @return the delay; null to stop
     * @throws StrategySkip         to wait its delay and ask again without calling
     * @throws StrategyStop         to stop the recurrence normally
     * @throws InterruptedException ends the recurrence as a stop does
     * @throws Exception            any other failure: logged, and the recurrence stops
     */
    Duration next() throws Exception;
}
