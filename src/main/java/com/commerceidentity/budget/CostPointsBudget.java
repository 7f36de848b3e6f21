package com.commerceidentity.budget;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bucket of cost points ({@code maximumAvailable}, restored at {@code restoreRate}/s), as GraphQL APIs meter
 * queries. A query reserves its requested cost before it is sent, since that is what the platform checks on
 * arrival; the answer's actual cost ({@link LimitSignals.CostPoints}, read by the platform module; usually lower)
 * settles the reservation, and the points it reports available correct for other apps. A THROTTLED answer costs nothing and says how long to wait: the points missing,
 * divided by the restore rate.
 */
public final class CostPointsBudget extends PausableBudget {
    private final Bucket bucket;
    private volatile double maximumAvailable;
    private volatile double restoreRate;
    private final AtomicLong pointsRequested = new AtomicLong();
    private final AtomicLong pointsSpent = new AtomicLong();
    private volatile double lastReportedAvailable = -1;

    public CostPointsBudget(double maximumAvailable, double restoreRate) {
        this(maximumAvailable, restoreRate, Buckets::bucket, new PauseGate());
    }

    /** The points and the pauses may be shared by every node calling the store (BudgetStore). */
    CostPointsBudget(double maximumAvailable, double restoreRate, BucketFactory buckets, PauseGate gate) {
        super(gate);
        this.maximumAvailable = maximumAvailable;
        this.restoreRate = restoreRate;
        this.bucket = buckets.bucket((long) maximumAvailable, restoreRate);
    }

    @Override
    public String policy() {
        return "cost-points";
    }

    @Override
    public Permit acquire(double cost) throws InterruptedException {
        long points = Math.max(1, (long) Math.ceil(cost));
        if (points > maximumAvailable) {
            throw new IllegalArgumentException("a query costing " + points + " points can never run: the store's"
                    + " bucket holds " + (long) maximumAvailable + "; ask for fewer records per page");
        }
        gate.awaitOpen();
        bucket.asBlocking().consume(points);
        sent.incrementAndGet();
        pointsRequested.addAndGet(points);
        return new Permit(System.nanoTime(), points, false);
    }

    @Override
    public long observe(Permit permit, ResponseSignals response) {
        LimitSignals.CostPoints cost = response.limits().cost();
        if (cost == null) {
            if (response.status() == 429) {
                rateLimited.incrementAndGet();
                long wait = response.retryAfterMillis().orElse(1000);
                gate.pause(wait);
                return wait;
            }
            return -1;
        }
        long reserved = (long) permit.cost();
        long spent = cost.actual() == null || cost.throttled() ? 0 : (long) Math.ceil(cost.actual());
        if (reserved > spent) {
            bucket.addTokens(reserved - spent);
        }
        pointsSpent.addAndGet(spent);
        adopt(cost);
        if (!cost.throttled()) {
            return -1;
        }
        rateLimited.incrementAndGet();
        double missing = Math.max(0, cost.requested() - cost.currentlyAvailable());
        long wait = (long) Math.ceil(missing / Math.max(cost.restoreRate(), 0.001) * 1000);
        gate.pause(wait);
        return wait;
    }

    private void adopt(LimitSignals.CostPoints cost) {
        if (cost.maximumAvailable() > 0 && cost.restoreRate() > 0
                && (cost.maximumAvailable() != maximumAvailable || cost.restoreRate() != restoreRate)) {
            maximumAvailable = cost.maximumAvailable();
            restoreRate = cost.restoreRate();
            bucket.replaceConfiguration(Buckets.of((long) maximumAvailable, restoreRate), TokensInheritanceStrategy.AS_IS);
        }
        lastReportedAvailable = cost.currentlyAvailable();
        long ours = bucket.getAvailableTokens();
        // One point below what the platform reports: it reports whole points, and our bucket keeps the part of a
        // point it has restored so far, which may be more than the platform's part; equal whole points then let a
        // query go up to one point's restore time (25 ms at 40/s) early, and the platform refused it (THROTTLED,
        // once in RateBudgetTest). The point costs that much time once, not per query.
        long platform = (long) Math.floor(cost.currentlyAvailable()) - 1;
        if (ours > platform) {
            bucket.consumeIgnoringRateLimits(ours - platform);
        }
    }

    @Override
    public void abandon(Permit permit) {
        // Unknown whether it ran: keep the reservation, it restores at the platform's rate anyway.
    }

    @Override
    protected void describe(Map<String, Object> s) {
        s.put("maximumAvailable", maximumAvailable);
        s.put("restoreRate", restoreRate);
        s.put("available", Math.max(0, bucket.getAvailableTokens()));
        s.put("platformReportedAvailable", lastReportedAvailable);
        s.put("pointsRequested", pointsRequested.get());
        s.put("pointsSpent", pointsSpent.get());
    }
}
