package com.commerceidentity.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Several of our requests waiting for room in a full Shopify Plus bucket at once (a backfill's lanes side by side):
 * they go out at the bucket's leak, 20 a second, while the room kept free for other apps stays free. Each used to
 * hold its own copy of that room while it waited, and seven lanes sent 2 to 6 requests a second until the shop's
 * bucket had drained to half (issue #16).
 */
class LeakyBucketWaitersTest {
    static final int LANES = 7;
    static final int REQUESTS_PER_LANE = 4;

    /** Time moves only when the budget waits: the test takes no wall time, and a wait that is skipped shows. */
    final AtomicLong nanos = new AtomicLong();
    final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    final LeakyBucketBudget plus = new LeakyBucketBudget(80, 20, 1,
            (capacity, rate) -> Buckets.bucket(capacity, rate, clock), new PauseGate(), nanos::addAndGet);

    /** One request answered 250 ms after it left, the shop's bucket holding it alone: 5 requests' leak kept free. */
    void answeredAfter250ms() throws Exception {
        Permit p = plus.acquire(1);
        plus.observe(p, new ResponseSignals(200, LimitSignals.NONE.withBucket(new LimitSignals.BucketFill(1, 80)),
                p.sentNanos + 250_000_000L));
        assertThat(plus.state()).containsEntry("keptFreeForUnseenSpending", 5).containsEntry("takenByOtherApps", 0L);
    }

    @Test
    void lanesWaitingTogetherOnAFullBucketGoOutAtItsLeakWithTheKeptRoomStillFree() throws Exception {
        answeredAfter250ms();
        // the rest of the burst: 79 usable, 1 spent, 5 kept free
        for (int i = 0; i < 73; i++) {
            plus.acquire(1);
        }
        assertThat(nanos.get()).as("the burst goes at once").isZero();

        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<?>> walks = new ArrayList<>();
            for (int lane = 0; lane < LANES; lane++) {
                walks.add(lanes.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_LANE; i++) {
                        plus.acquire(1);
                    }
                    return null;
                }));
            }
            for (Future<?> walk : walks) {
                walk.get(30, TimeUnit.SECONDS);
            }
        } finally {
            lanes.shutdownNow();
        }

        double seconds = nanos.get() / 1e9;
        // 28 requests at 20 a second; each of seven waiting with 5 tokens of its own took 28 x 6 / 20 = 8.4 s
        assertThat(seconds).as("seconds for %d requests waiting side by side", LANES * REQUESTS_PER_LANE)
                .isBetween(1.39, 1.45);
        assertThat(plus.state()).as("the room kept free for other apps is still free")
                .containsEntry("available", 5L).containsEntry("keptFreeForUnseenSpending", 5);
    }
}
