package com.commerceidentity.budget;

import java.util.concurrent.TimeUnit;

/**
 * "Nobody calls this store until T": set when the platform asks us to wait, honoured by every caller. On
 * PostgreSQL the pause is also recorded for the other nodes, and theirs are honoured here: a store that answered
 * one node's request with {@code Retry-After} would otherwise keep taking the others' and answer them 429 too.
 */
final class PauseGate {
    private final DatabasePause shared;
    /** Starts in the past: nanoTime may be negative, so 0 would not be. */
    private long until = System.nanoTime();

    /** This node's callers only. */
    PauseGate() {
        this(null);
    }

    /** @param shared the pause every node records and reads, or null on one node */
    PauseGate(DatabasePause shared) {
        this.shared = shared;
    }

    void pause(long millis) {
        pauseHere(millis);
        if (shared != null && millis > 0) {
            shared.pause(millis);
        }
    }

    void awaitOpen() throws InterruptedException {
        while (true) {
            awaitHere();
            long othersAsked = shared == null ? 0 : shared.remainingMillis();
            if (othersAsked <= 0) {
                return;
            }
            pauseHere(othersAsked);
        }
    }

    long remainingMillis() {
        long here;
        synchronized (this) {
            here = Math.max(0, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
        }
        return shared == null ? here : Math.max(here, shared.remainingMillis());
    }

    private synchronized void pauseHere(long millis) {
        until = Math.max(until, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)));
        notifyAll();
    }

    private synchronized void awaitHere() throws InterruptedException {
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
