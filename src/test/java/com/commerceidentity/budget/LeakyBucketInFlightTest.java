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
}
