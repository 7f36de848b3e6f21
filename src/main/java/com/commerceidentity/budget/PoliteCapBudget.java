package com.commerceidentity.budget;

import io.github.bucket4j.Bucket;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For platforms that publish no limit, but are usually one modest server that also serves shoppers:
 * a steady request rate (no bursts beyond {@code burst}) and a cap on requests in flight. A 429 or 503 from such
 * a server (or its proxy) is answered with the wait it asks for, if any.
 */
public final class PoliteCapBudget extends PausableBudget {
    private final Bucket bucket;
    private final double perSecond;
    private final int concurrency;
    private final Semaphore inFlight;

    public PoliteCapBudget(double perSecond, int burst, int concurrency) {
        this(perSecond, burst, concurrency, Buckets::bucket, new PauseGate());
    }

    /**
     * The rate and the pauses may be shared by every node (BudgetStore); the cap on requests in flight is each
     * node's own.
     */
    PoliteCapBudget(double perSecond, int burst, int concurrency, BucketFactory buckets, PauseGate gate) {
        super(gate);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.perSecond = perSecond;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency, true);
        this.bucket = buckets.bucket(Math.max(1, burst), perSecond);
    }

    @Override
    public String policy() {
        return "polite-cap";
    }

    @Override
    public Permit acquire(double cost) throws InterruptedException {
        gate.awaitOpen();
        inFlight.acquire();
        try {
            bucket.asBlocking().consume(1);
        } catch (InterruptedException e) {
            inFlight.release();
            throw e;
        }
        sent.incrementAndGet();
        return new Permit(System.nanoTime(), 1, false);
    }

    @Override
    public long observe(Permit permit, ResponseSignals response) {
        inFlight.release();
        if (response.status() != 429) {
            return -1;
        }
        rateLimited.incrementAndGet();
        long wait = response.retryAfterMillis().orElse(0);
        if (wait > 0) {
            gate.pause(wait);
        }
        return wait;
    }

    @Override
    public void abandon(Permit permit) {
        inFlight.release();
    }

    @Override
    protected void describe(Map<String, Object> s) {
        // An idle budget has its burst and every in-flight slot free; without this the gauge read 0 (exhausted).
        s.put("available", Math.min(bucket.getAvailableTokens(), inFlight.availablePermits()));
        s.put("requestsPerSecond", perSecond);
        s.put("concurrency", concurrency);
        s.put("inFlight", concurrency - inFlight.availablePermits());
    }
}
