package com.commerceidentity.sandbox.shopify;

/**
 * Shopify's leaky bucket: each call pours {@code cost} in, the bucket drains continuously at
 * {@code leakPerSecond}, a call that would overflow it is refused. The REST API uses it with cost 1 per
 * request (capacity 40, leak 2/s by default); GraphQL with query points, where "currently available" is
 * {@code capacity - level} and the restore rate is the leak rate.
 */
final class LeakyBucket {

    private double capacity;
    private double leakPerSecond;
    private double level;
    private long lastNanos = System.nanoTime();

    LeakyBucket(double capacity, double leakPerSecond) {
        this.capacity = capacity;
        this.leakPerSecond = leakPerSecond;
    }

    synchronized void reconfigure(double newCapacity, double newLeakPerSecond) {
        drain();
        this.capacity = newCapacity;
        this.leakPerSecond = newLeakPerSecond;
        level = Math.min(level, capacity);
    }

    /** Pours {@code cost} in if it fits; false (and nothing poured) otherwise. */
    synchronized boolean tryPour(double cost) {
        drain();
        if (level + cost > capacity + 1e-9) {
            return false;
        }
        level += cost;
        return true;
    }

    /** Pours regardless of room, as another app on the same store would; the level never exceeds capacity. */
    synchronized void spend(double cost) {
        drain();
        level = Math.min(capacity, level + cost);
    }

    synchronized void refund(double amount) {
        drain();
        level = Math.max(0, level - amount);
    }

    synchronized double level() {
        drain();
        return level;
    }

    synchronized double available() {
        drain();
        return capacity - level;
    }

    synchronized double capacity() {
        return capacity;
    }

    synchronized double leakPerSecond() {
        return leakPerSecond;
    }

    /** Seconds until {@code cost} would fit. */
    synchronized double secondsUntilRoomFor(double cost) {
        drain();
        double excess = level + cost - capacity;
        return excess <= 0 ? 0 : excess / leakPerSecond;
    }

    synchronized void empty() {
        level = 0;
        lastNanos = System.nanoTime();
    }

    private void drain() {
        long now = System.nanoTime();
        level = Math.max(0, level - (now - lastNanos) / 1e9 * leakPerSecond);
        lastNanos = now;
    }
}
