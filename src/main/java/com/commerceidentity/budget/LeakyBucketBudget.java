package com.commerceidentity.budget;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A leaky bucket per store and API (say 40 deep, draining 2 requests/s), shared by every app on the store.
 * Mirrored as a Bucket4j token bucket: free tokens = capacity - fill.
 *
 * <p>Answers that report the platform's fill ({@link LimitSignals.BucketFill}, read by the platform module) correct
 * the picture: the reported size is adopted (plans differ and not every size is published) and a fill higher
 * than ours means another app is spending, so those tokens are taken too. {@code headroom} tokens are never
 * spent: our clock starts a request before the platform sees it, and one spare request absorbs that jitter at
 * full speed.
 */
public final class LeakyBucketBudget extends PausableBudget {
    private final Bucket bucket;
    private volatile long capacity;
    private volatile double leakPerSecond;
    private final int headroom;
    private final AtomicLong foreignTaken = new AtomicLong();
    private volatile String lastCallLimit = "";

    public LeakyBucketBudget(long capacity, double leakPerSecond, int headroom) {
        this(capacity, leakPerSecond, headroom, Buckets::bucket);
    }

    LeakyBucketBudget(long capacity, double leakPerSecond, int headroom, BucketFactory buckets) {
        this.capacity = capacity;
        this.leakPerSecond = leakPerSecond;
        this.headroom = Math.max(0, headroom);
        this.bucket = buckets.bucket(usable(capacity), leakPerSecond);
    }

    private long usable(long cap) {
        return Math.max(1, cap - headroom);
    }

    @Override
    public String policy() {
        return "leaky-bucket";
    }

    @Override
    public Permit acquire(double cost) throws InterruptedException {
        gate.awaitOpen();
        bucket.asBlocking().consume(1);
        sent.incrementAndGet();
        return new Permit(System.nanoTime(), 1, false);
    }

    @Override
    public long observe(Permit permit, ResponseSignals response) {
        LimitSignals.BucketFill fill = response.limits().bucket();
        if (fill != null) {
            lastCallLimit = fill.used() + "/" + fill.size();
            learn(fill.used(), fill.size());
        }
        if (response.status() != 429) {
            return -1;
        }
        rateLimited.incrementAndGet();
        // A full platform bucket: ours is empty too, whatever we thought.
        long free = bucket.getAvailableTokens();
        if (free > 0) {
            bucket.consumeIgnoringRateLimits(free);
        }
        long wait = response.retryAfterMillis().orElse((long) Math.ceil(1000 / leakPerSecond));
        gate.pause(wait);
        return wait;
    }

    private void learn(long used, long cap) {
        if (cap > 0 && cap != capacity) {
            capacity = cap;
            bucket.replaceConfiguration(Buckets.of(usable(cap), leakPerSecond), TokensInheritanceStrategy.AS_IS);
        }
        long platformFree = usable(capacity) - used;
        long ours = bucket.getAvailableTokens();
        // Negative free room (the platform is fuller than our headroom allows) becomes a debt: we wait it out.
        long foreign = ours - platformFree;
        if (foreign > 0) {
            bucket.consumeIgnoringRateLimits(foreign);
            foreignTaken.addAndGet(foreign);
        }
    }

    /** A plan change also changes the drain rate, which no answer reports. */
    public void leakPerSecond(double perSecond) {
        leakPerSecond = perSecond;
        bucket.replaceConfiguration(Buckets.of(usable(capacity), perSecond), TokensInheritanceStrategy.AS_IS);
    }

    @Override
    public void abandon(Permit permit) {
        // The platform may have counted it; it drains on its own like any other request.
    }

    @Override
    protected void describe(Map<String, Object> s) {
        s.put("capacity", capacity);
        s.put("leakPerSecond", leakPerSecond);
        s.put("headroom", headroom);
        s.put("available", Math.max(0, bucket.getAvailableTokens()));
        s.put("platformCallLimit", lastCallLimit);
        s.put("takenByOtherApps", foreignTaken.get());
    }
}
