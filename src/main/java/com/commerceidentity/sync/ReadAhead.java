package com.commerceidentity.sync;

import java.util.function.BooleanSupplier;

/**
 * How far one run's fetching may get ahead of its ingest, in bytes of page bodies held between the two.
 *
 * <p>Why ahead at all: a budget that refills per window (say 150 requests per rolling 30 s) frees each
 * slot a window after the request that used it, so whatever pace the first window's requests had, the last
 * window repeats. Fetching at the store's pace rather than at the ingest's keeps every window short, and the
 * run ends about one window's ingest after the last slot opens. The bound keeps a long backfill from holding
 * the whole store in memory; a page larger than the bound still passes once nothing else is held.
 */
final class ReadAhead {
    private final long maxBytes;
    private final long timeoutMillis;
    private final BooleanSupplier stopping;
    private long heldBytes;
    private int heldPages;
    private Throwable failure;

    /**
     * @param timeoutMillis how long ingest may go without progress before the run gives up on it
     * @param stopping      true once the app is stopping: waits end, and pages still queued are simply not
     *                      committed (the next run reads them again from the watermark)
     */
    ReadAhead(long maxBytes, long timeoutMillis, BooleanSupplier stopping) {
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
        this.stopping = stopping;
    }

    /** Waits until the page fits (or ingest failed, which ends the run: the failure is thrown). */
    synchronized void hold(long bytes) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (failure == null && heldPages > 0 && heldBytes + bytes > maxBytes) {
            giveUpIfOverdue(deadline, "had no room for the next page");
            wait(Math.min(deadline - System.currentTimeMillis(), 1000));
        }
        rethrow();
        heldBytes += bytes;
        heldPages++;
    }

    /**
     * How many pages of about {@code pageBytes} to fetch together, at most {@code cap}: as many as the room left
     * holds, and always one, so a full read-ahead still lets one page be fetched past the one being ingested.
     */
    synchronized int pagesWithRoom(long pageBytes, int cap) {
        long free = maxBytes - heldBytes;
        return (int) Math.max(1, Math.min(cap, free / Math.max(1, pageBytes)));
    }

    synchronized void release(long bytes) {
        heldBytes -= bytes;
        heldPages--;
        notifyAll();
    }

    /** The first failure wins; pages still queued behind it are skipped, not committed. */
    synchronized void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        notifyAll();
    }

    synchronized boolean failed() {
        return failure != null;
    }

    /** Waits until every page handed on has been committed or skipped; throws the ingest's failure if any. */
    synchronized void awaitDrained() throws InterruptedException {
        awaitIdle();
        rethrow();
    }

    /** Waits until no page is held, without judging the outcome (used while a run is being wound up). */
    synchronized void awaitIdle() throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (heldPages > 0) {
            giveUpIfOverdue(deadline, "still held " + heldPages + " fetched pages");
            wait(Math.min(deadline - System.currentTimeMillis(), 1000));
        }
    }

    private void giveUpIfOverdue(long deadline, String what) {
        if (stopping.getAsBoolean()) {
            throw new IllegalStateException("the app is stopping; the read-ahead " + what);
        }
        if (System.currentTimeMillis() >= deadline) {
            throw new IllegalStateException("ingest made no progress for " + timeoutMillis + " ms; the read-ahead "
                    + what);
        }
    }

    private void rethrow() {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
    }
}
