package com.commerceidentity.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A GraphQL cost-points budget never lets a query go before the platform has restored the points it asks for:
 * the platform refuses it (THROTTLED), and a refusal is our failure.
 */
class CostPointsBudgetTest {
    private long nanos;
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final CostPointsBudget budget = new CostPointsBudget(60, 40, (capacity, perSecond) ->
            Bucket.builder().withCustomTimePrecision(clock).addLimit(limit -> limit.capacity(capacity)
                    .refillGreedy(Math.round(perSecond * 1000), java.time.Duration.ofSeconds(1000))).build(),
            new PauseGate());

    @Test
    void aQueryWaitsForThePointsThePlatformHasNotTheFractionOurBucketRestoredBeforeItsReport() throws Exception {
        for (int i = 0; i < 5; i++) {
            budget.observe(budget.acquire(12), answer(12, 60 - 12 * (i + 1)));
        }
        // Our bucket ran dry 20 ms before the platform's did (its pours came later): 0.8 points restored on our
        // side when the platform reports 0.
        nanos += TimeUnit.MILLISECONDS.toNanos(20);
        budget.observe(new Permit(nanos, 0, false), answer(0, 0));

        // 280 ms on, the platform has restored 11.2 points: a query of 12 would be refused there.
        nanos += TimeUnit.MILLISECONDS.toNanos(280);
        assertThat((long) budget.state().get("available")).as("points our budget would grant now").isLessThan(12);
        // and once the platform holds 12, ours does too (a point behind at most)
        nanos += TimeUnit.MILLISECONDS.toNanos(50);
        assertThat((long) budget.state().get("available")).isGreaterThanOrEqualTo(12);
    }

    private static ResponseSignals answer(double cost, double available) {
        return new ResponseSignals(200, LimitSignals.NONE.withCost(new LimitSignals.CostPoints(cost, cost, 60,
                available, 40, false)), 0);
    }
}
