package com.commerceidentity.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * BigCommerce's rolling window (150 per 30 s) on a clock the test moves, no sleeping: a 429 costs the reset it
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

    ResponseSignals answer(int status, Map<String, String> headers) {
        return new ResponseSignals(status, headers, null, now);
    }

    static Map<String, String> rateHeaders(int left, long resetMs) {
        return Map.of("X-Rate-Limit-Requests-Left", Integer.toString(left), "X-Rate-Limit-Requests-Quota", "150",
                "X-Rate-Limit-Time-Reset-Ms", Long.toString(resetMs), "X-Rate-Limit-Time-Window-Ms", "30000");
    }

    /** One request answered {@code status} after 5 ms; returns the wait the budget asks for (-1: none stated). */
    long send(int status, Map<String, String> headers) throws InterruptedException {
        assertThat(waitMillis()).as("a permit is free now").isZero();
        Permit p = budget.acquire(1);
        advanceMillis(5);
        return budget.observe(p, answer(status, headers));
    }

    @Test
    void a429WaitsExactlyItsResetEvenWhenTheResetIsShorterThanTheWindow() throws Exception {
        long wait = send(429, rateHeaders(0, 1_000));
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
        long wait = send(429, rateHeaders(0, 30_000));
        assertThat(wait).isEqualTo(30_000);
        advanceMillis(wait);
        // the retry fails with a 500 carrying the same (stale, example) rate-limit headers
        assertThat(send(500, rateHeaders(0, 30_000))).as("a 500 states no wait: the caller backs off").isEqualTo(-1);
        advanceMillis(550);
        assertThat(waitMillis()).as("after the 0.55 s back-off the next attempt goes at once").isZero();
        assertThat(send(200, rateHeaders(148, 30_000))).isEqualTo(-1);
    }

    @Test
    void a500AloneCostsOnlyTheBackOff() throws Exception {
        assertThat(send(500, rateHeaders(0, 30_000))).isEqualTo(-1);
        advanceMillis(550);
        assertThat(waitMillis()).isZero();
        assertThat(send(503, Map.of())).isEqualTo(-1);
        assertThat(waitMillis()).isZero();
    }

    @Test
    void aSuccessfulAnswerThatSaysTheWindowIsFullStillPausesForItsReset() throws Exception {
        assertThat(send(200, rateHeaders(0, 2_000))).isEqualTo(-1);
        assertThat(waitMillis()).isPositive();
        advanceMillis(2_000);
        // the other apps' requests stay counted for a window
        assertThat(waitMillis()).isPositive();
        assertThat(budget.state()).containsEntry("heldForOtherApps", 149L);
    }

    @Test
    void a429WithoutHeadersAsksTheCallerToBackOff() throws Exception {
        assertThat(send(429, Map.of())).isZero();
        assertThat(waitMillis()).isZero();
    }
}
