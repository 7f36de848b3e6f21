package com.commerceidentity.budget;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/** Bucket4j configurations for a capacity and a continuous refill rate given per second (may be fractional). */
final class Buckets {
    private Buckets() {
    }

    static Bucket bucket(long capacity, double perSecond) {
        return Bucket.builder().addLimit(bandwidth(capacity, perSecond)).build();
    }

    /** A bucket on a clock of the caller's (tests move time on instead of sleeping). */
    static Bucket bucket(long capacity, double perSecond, TimeMeter clock) {
        return Bucket.builder().addLimit(bandwidth(capacity, perSecond)).withCustomTimePrecision(clock).build();
    }

    static BucketConfiguration of(long capacity, double perSecond) {
        return BucketConfiguration.builder().addLimit(bandwidth(capacity, perSecond)).build();
    }

    private static Bandwidth bandwidth(long capacity, double perSecond) {
        if (capacity < 1 || !(perSecond > 0)) {
            throw new IllegalArgumentException("a bucket needs capacity >= 1 and a positive rate, got "
                    + capacity + " and " + perSecond + "/s");
        }
        // Greedy refill adds tokens continuously, as a leaky bucket drains; milli-token precision keeps 2.5/s exact.
        long perThousandSeconds = Math.round(perSecond * 1000);
        return Bandwidth.builder().capacity(capacity).refillGreedy(perThousandSeconds, Duration.ofSeconds(1000)).build();
    }
}
