package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.budget.LeakyBucketBudget;
import com.commerceidentity.budget.LimitSignals;
import com.commerceidentity.budget.Permit;
import com.commerceidentity.budget.ResponseSignals;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cursor walk is cut into as many lanes as end it soonest inside the store's budget, counting the count request
 * each cut costs (issue #16: on Shopify's standard bucket the lanes' counts made a backfill slower than one walk).
 */
class LaneSizingTest {

    /** A Shopify bucket after one answer that took {@code roundTripMillis}. */
    static LeakyBucketBudget bucket(long capacity, double perSecond, long roundTripMillis) throws Exception {
        LeakyBucketBudget budget = new LeakyBucketBudget(capacity, perSecond, 1);
        Permit p = budget.acquire(1);
        budget.observe(p, new ResponseSignals(200, LimitSignals.NONE,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(roundTripMillis)));
        return budget;
    }

    @Test
    void onTheStandardBucketOneWalkKeepsUpAndIsNotCut() throws Exception {
        assertThat(LaneSizing.lanesFed(bucket(40, 2, 280), 80)).as("250 ms answers, 80 pages").isEqualTo(1);
        assertThat(LaneSizing.lanesFed(bucket(40, 2, 280), 400)).as("400 pages: the bucket sets the pace").isEqualTo(1);
        assertThat(LaneSizing.lanesFed(bucket(40, 2, 5), 80)).as("fast answers").isEqualTo(1);
    }

    @Test
    void onPlusTheWalkIsCutIntoAsManyLanesAsTheBucketKeepsBusy() throws Exception {
        int lanes = LaneSizing.lanesFed(bucket(80, 20, 280), 400);
        assertThat(lanes).as("one walk: 400 x 0.29 s = 116 s; the bucket: 16 s").isBetween(6, 10);
        assertThat(LaneSizing.lanesFed(bucket(80, 20, 560), 400)).as("slower answers, more lanes").isGreaterThan(lanes);
    }

    /** Before any answer: whether a backfill counts its range with its first page (SyncRun). */
    @Test
    void lanesMayPayOnlyWhereTheBudgetOutpacesOneWalkAtHalfASecond() {
        assertThat(LaneSizing.mayPay(new LeakyBucketBudget(40, 2, 1))).as("standard, 2 a second").isFalse();
        assertThat(LaneSizing.mayPay(new LeakyBucketBudget(80, 20, 1))).as("Plus, 20 a second").isTrue();
        assertThat(LaneSizing.mayPay(new com.commerceidentity.budget.PoliteCapBudget(10, 1, 4)))
                .as("a polite cap, which does not say its pace").isTrue();
    }

    @Test
    void aBudgetThatHasNotMeasuredAnAnswerLeavesTheLanesToTheStoresCap() {
        assertThat(LaneSizing.lanesFed(new LeakyBucketBudget(40, 2, 1), 80)).isEqualTo(Integer.MAX_VALUE);
    }
}
