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
    /**
     * The room every run of this node shares ({@code app.sync.read-ahead-total-bytes}). Each store surface has a
     * run of its own going at once, so forty surfaces backfilling together would otherwise hold forty runs' room
     * while the one graph writer takes their pages in turn. Its monitor is every run's: a page committed in one run
     * frees room another may be waiting for.
     */
    static final class NodeRoom {
        private final long maxBytes;
        private long heldBytes;
        /** Pages released so far, by any run: the node's ingest moving. */
        private long released;

        NodeRoom(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** Room for one run alone (tests, a run of its own). */
        static NodeRoom unshared() {
            return new NodeRoom(Long.MAX_VALUE);
        }
    }

    private final NodeRoom room;
    private final long maxBytes;
    private final long timeoutMillis;
    private final BooleanSupplier stopping;
    private long heldBytes;
    private int heldPages;
    private Throwable failure;

    ReadAhead(long maxBytes, long timeoutMillis, BooleanSupplier stopping) {
        this(NodeRoom.unshared(), maxBytes, timeoutMillis, stopping);
    }

    /**
     * @param room          what every run of the node holds at most together
     * @param timeoutMillis how long ingest may go without progress before the run gives up on it
     * @param stopping      true once the app is stopping: waits end, and pages still queued are simply not
     *                      committed (the next run reads them again from the watermark)
     */
    ReadAhead(NodeRoom room, long maxBytes, long timeoutMillis, BooleanSupplier stopping) {
        this.room = room;
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
        this.stopping = stopping;
    }

    /**
     * Waits until the page fits in the run's room and the node's (or ingest failed, which ends the run: the failure
     * is thrown). A run that holds nothing takes its page whatever the node holds, so every run moves. While only
     * the node's room is short, other runs' pages going in count as progress.
     */
    void hold(long bytes) throws InterruptedException {
        synchronized (room) {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            long seen = room.released;
            while (failure == null && heldPages > 0
                    && (heldBytes + bytes > maxBytes || room.heldBytes + bytes > room.maxBytes)) {
                if (heldBytes + bytes <= maxBytes && room.released != seen) {
                    seen = room.released;
                    deadline = System.currentTimeMillis() + timeoutMillis;
                }
                giveUpIfOverdue(deadline, "had no room for the next page");
                room.wait(Math.max(1, Math.min(deadline - System.currentTimeMillis(), 1000)));
            }
            rethrow();
            heldBytes += bytes;
            room.heldBytes += bytes;
            heldPages++;
        }
    }

    /**
     * How many pages of about {@code pageBytes} to fetch together, at most {@code cap}: as many as the room left
     * holds, the run's and the node's, and always one, so a full read-ahead still lets one page be fetched past
     * the one being ingested.
     */
    int pagesWithRoom(long pageBytes, int cap) {
        synchronized (room) {
            long free = Math.min(maxBytes - heldBytes, room.maxBytes - room.heldBytes);
            return (int) Math.max(1, Math.min(cap, free / Math.max(1, pageBytes)));
        }
    }

    void release(long bytes) {
        synchronized (room) {
            heldBytes -= bytes;
            room.heldBytes -= bytes;
            room.released++;
            heldPages--;
            room.notifyAll();
        }
    }

    /** The first failure wins; pages still queued behind it are skipped, not committed. */
    void fail(Throwable t) {
        synchronized (room) {
            if (failure == null) {
                failure = t;
            }
            room.notifyAll();
        }
    }

    boolean failed() {
        synchronized (room) {
            return failure != null;
        }
    }

    /** Waits until every page handed on has been committed or skipped; throws the ingest's failure if any. */
    void awaitDrained() throws InterruptedException {
        synchronized (room) {
            awaitIdle();
            rethrow();
        }
    }

    /** Waits until no page is held, without judging the outcome (used while a run is being wound up). */
    void awaitIdle() throws InterruptedException {
        synchronized (room) {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (heldPages > 0) {
                giveUpIfOverdue(deadline, "still held " + heldPages + " fetched pages");
                room.wait(Math.max(1, Math.min(deadline - System.currentTimeMillis(), 1000)));
            }
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
