package com.commerceidentity.sandbox.bigcommerce;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * BigCommerce's per-store quota: at most {@code quota} requests in any rolling window of {@code windowMillis}.
 * A slot frees {@code windowMillis} after the request that took it, so "time to reset" is the age-out time of
 * the oldest request in the window. Requests of every app on the store share it.
 */
final class RollingWindow {

    /** Outcome of one request: allowed or not, slots left afterwards, ms until the next slot frees. */
    record Decision(boolean allowed, int left, long resetMillis) {
    }

    private final Deque<Long> taken = new ArrayDeque<>();
    private int quota;
    private long windowMillis;

    RollingWindow(int quota, long windowMillis) {
        this.quota = quota;
        this.windowMillis = windowMillis;
    }

    synchronized void reconfigure(int newQuota, long newWindowMillis) {
        this.quota = newQuota;
        this.windowMillis = newWindowMillis;
    }

    synchronized Decision tryAcquire() {
        long now = System.nanoTime();
        expire(now);
        boolean allowed = taken.size() < quota;
        if (allowed) {
            taken.addLast(now);
        }
        return new Decision(allowed, quota - taken.size(), resetMillis(now));
    }

    /** Takes up to {@code requests} slots as another app on the store would; never beyond the quota. */
    synchronized void spend(double requests) {
        long now = System.nanoTime();
        expire(now);
        for (int i = 0; i < (int) Math.floor(requests) && taken.size() < quota; i++) {
            taken.addLast(now);
        }
    }

    synchronized int used() {
        expire(System.nanoTime());
        return taken.size();
    }

    synchronized int quota() {
        return quota;
    }

    synchronized long windowMillis() {
        return windowMillis;
    }

    private long resetMillis(long now) {
        if (taken.isEmpty()) {
            return windowMillis;
        }
        long remainingNanos = taken.peekFirst() + windowMillis * 1_000_000 - now;
        return Math.max(1, (remainingNanos + 999_999) / 1_000_000);
    }

    private void expire(long now) {
        long horizon = now - windowMillis * 1_000_000;
        while (!taken.isEmpty() && taken.peekFirst() <= horizon) {
            taken.removeFirst();
        }
    }
}
