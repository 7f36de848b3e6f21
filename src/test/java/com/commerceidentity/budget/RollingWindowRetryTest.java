package com.commerceidentity.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rolling window of 150 requests per 30 s on a clock the test moves, no sleeping: a 429 costs the reset it
 * states, and a 500 after it costs what a 500 alone costs (the caller's back-off), not a second window.
 */
class RollingWindowRetryTest {
    long now = TimeUnit.SECONDS.toNanos(1000);
    final RollingWindowBudget budget = new RollingWindowBudget(150, 30_000, () -> now);

    void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    long waitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(budget.waitNanos());
    }

    ResponseSignals answer(int status, LimitSignals limits) {
        return new ResponseSignals(status, limits, now);
    }

    /** What the platform module reads from an answer that states the whole window. */
    static LimitSignals window(int left, long resetMs) {
        return LimitSignals.NONE.withWindow(new LimitSignals.Window(OptionalLong.of(30_000), OptionalLong.of(150),
                OptionalLong.of(left), OptionalLong.of(resetMs)));
    }

    /** One request answered {@code status} after 5 ms; returns the wait the budget asks for (-1: none stated). */
    long send(int status, LimitSignals limits) throws InterruptedException {
        assertThat(waitMillis()).as("a permit is free now").isZero();
        Permit p = budget.acquire(1);
        advanceMillis(5);
        return budget.observe(p, answer(status, limits));
    }

    @Test
    void a429WaitsExactlyItsResetEvenWhenTheResetIsShorterThanTheWindow() throws Exception {
        long wait = send(429, window(0, 1_000));
        assertThat(wait).isEqualTo(1_000);
        assertThat(waitMillis()).isBetween(999L, 1_000L);
        advanceMillis(999);
        assertThat(waitMillis()).as("still inside the stated reset").isPositive();
        advanceMillis(1);
        assertThat(waitMillis()).as("the reset is over; no slots held a window for other apps").isZero();
        assertThat(budget.state()).containsEntry("heldForOtherApps", 0L).containsEntry("rateLimited", 1L);
    }

    @Test
    void a500AfterA429CostsTheBackOffOfA500AloneNotASecondWindow() throws Exception {
        // the 429 of a window the platform says is full for its whole length
        long wait = send(429, window(0, 30_000));
        assertThat(wait).isEqualTo(30_000);
        advanceMillis(wait);
        // the retry fails with a 500 carrying the same (stale, example) rate-limit figures
        assertThat(send(500, window(0, 30_000))).as("a 500 states no wait: the caller backs off").isEqualTo(-1);
        advanceMillis(550);
        assertThat(waitMillis()).as("after the 0.55 s back-off the next attempt goes at once").isZero();
        assertThat(send(200, window(148, 30_000))).isEqualTo(-1);
    }

    @Test
    void a500AloneCostsOnlyTheBackOff() throws Exception {
        assertThat(send(500, window(0, 30_000))).isEqualTo(-1);
        advanceMillis(550);
        assertThat(waitMillis()).isZero();
        assertThat(send(503, LimitSignals.NONE)).isEqualTo(-1);
        assertThat(waitMillis()).isZero();
    }

    @Test
    void aSuccessfulAnswerThatSaysTheWindowIsFullStillPausesForItsReset() throws Exception {
        assertThat(send(200, window(0, 2_000))).isEqualTo(-1);
        assertThat(waitMillis()).isPositive();
        advanceMillis(2_000);
        // the other apps' requests stay counted for a window
        assertThat(waitMillis()).isPositive();
        assertThat(budget.state()).containsEntry("heldForOtherApps", 149L);
    }

    @Test
    void a429WithoutHeadersAsksTheCallerToBackOff() throws Exception {
        assertThat(send(429, LimitSignals.NONE)).isZero();
        assertThat(waitMillis()).isZero();
    }
}
