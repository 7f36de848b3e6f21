package com.commerceidentity.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Several requests of ours in flight on a Shopify-style bucket: the fill an answer reports already holds our
 * requests sent before it (they arrived first), not those sent after it. Only what is left over is another app's
 * (issue #16: lanes side by side on Plus took 59 of their own requests for another app's).
 */
class LeakyBucketInFlightTest {
    final LeakyBucketBudget bucket = new LeakyBucketBudget(40, 2, 1);

    static ResponseSignals fill(long used) {
        return new ResponseSignals(200, LimitSignals.NONE.withBucket(new LimitSignals.BucketFill(used, 40)), System.nanoTime());
    }

    /** Three of ours in flight; the second is answered first, with the platform's fill. */
    void threeSentTheSecondAnsweredWith(long used) throws Exception {
        bucket.acquire(1);
        Permit second = bucket.acquire(1);
        bucket.acquire(1);
        bucket.observe(second, fill(used));
    }

    @Test
    void ourRequestSentEarlierAndStillInFlightIsNotTakenForAnotherApps() throws Exception {
        threeSentTheSecondAnsweredWith(2); // the platform holds the first and the second; the third is on its way
        assertThat(bucket.state()).containsEntry("takenByOtherApps", 0L);
    }

    @Test
    void anotherAppsRequestBesideOursInFlightIsStillTaken() throws Exception {
        threeSentTheSecondAnsweredWith(3); // the first, the second and one request of another app
        assertThat(bucket.state()).containsEntry("takenByOtherApps", 1L);
    }

    /** Shopify Plus: 80 deep, 20 a second; one request of ours answered 250 ms after it left. */
    static LeakyBucketBudget plusWithOneAnsweredAfter250ms(long platformUsed) throws Exception {
        LeakyBucketBudget plus = new LeakyBucketBudget(80, 20, 1);
        Permit p = plus.acquire(1);
        plus.observe(p, new ResponseSignals(200, LimitSignals.NONE.withBucket(new LimitSignals.BucketFill(platformUsed, 80)),
                p.sentNanos + 250_000_000L));
        return plus;
    }

    @Test
    void aFillUpToARoundTripsLeakAboveOursIsWhenThePlatformCountedNotAnotherApp() throws Exception {
        // ours drained from the sending, the platform's from its counting, up to 250 ms later: 5 requests at 20/s
        assertThat(plusWithOneAnsweredAfter250ms(1 + 3).state()).containsEntry("takenByOtherApps", 0L);
    }

    @Test
    void aFillMoreThanARoundTripsLeakAboveOursIsStillAnotherApps() throws Exception {
        assertThat((Long) plusWithOneAnsweredAfter250ms(1 + 9).state().get("takenByOtherApps")).isBetween(4L, 5L);
    }

    @Test
    void aBucketLearntDeeperThanAssumedIsThatMuchMoreRoomAtOnce() throws Exception {
        // the standard plan's 40 assumed, a Plus shop answers 80 deep with only our own first request in it
        LeakyBucketBudget assumed = new LeakyBucketBudget(40, 20, 1);
        Permit p = assumed.acquire(1);
        assumed.observe(p, new ResponseSignals(200, LimitSignals.NONE.withBucket(new LimitSignals.BucketFill(1, 80)),
                p.sentNanos + 1_000_000L));
        assertThat((Long) assumed.state().get("available")).as("room for 78 more requests, as the shop says")
                .isGreaterThanOrEqualTo(78L);
        assertThat(assumed.secondsFor(78)).isZero();
    }

    @Test
    void aRoundTripsLeakIsKeptFreeForAnotherAppsSpendingThatGoesUnseen() throws Exception {
        assertThat(plusWithOneAnsweredAfter250ms(1).state()).containsEntry("keptFreeForUnseenSpending", 5);
    }
}
