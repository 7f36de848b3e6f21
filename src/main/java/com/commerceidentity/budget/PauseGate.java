package com.commerceidentity.budget;

import java.util.concurrent.TimeUnit;

/** "Nobody calls this store until T": set when the platform asks us to wait, honoured by every caller. */
final class PauseGate {
    private long until;

    synchronized void pause(long millis) {
        until = Math.max(until, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)));
        notifyAll();
    }

    synchronized void awaitOpen() throws InterruptedException {
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized long remainingMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
    }
}
