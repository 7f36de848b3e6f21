package com.commerceidentity.sync;

import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;

/**
 * The queue of {@code seda:sync-pages}: pages read by every run of the node, waiting for the one route that maps and
 * commits them. Staff pages go first, then the pages of runs that read what changed since their watermark, then
 * backfills' pages; within a rank pages go in the order they were read. A run's rank is fixed when it begins, so each
 * run's pages still reach the graph in its own order.
 *
 * <p>Why: a backfill reads as fast as its store's budget allows, and many stores backfilling at once keep this queue
 * full (up to {@code app.sync.read-ahead-total-bytes} of pages). A staff run is how a removed admin shows as deleted:
 * behind 36 stores' backfills its page waited 44 s (median) instead of half a second. A run for changes is how a
 * store without webhooks shows a customer's change: behind 31 stores' backfills its one page waited 67-89 s, and
 * 0.4-1.2 s once ranked (docs/sync.md). Such runs are mostly a page or two; one with much to read (a store back after
 * weeks away) goes before the backfills all the same: stores already synced are kept current first.
 */
public final class SyncPagesQueue extends PriorityBlockingQueue<Exchange> {
    /** On a page's exchange: its run's {@link Rank}. */
    public static final String RANK = "syncPageRank";
    static final String ORDER = "syncPageOrder";
    private static final long serialVersionUID = 1L;

    /** Which pages go first, in this order. */
    public enum Rank {
        /** A staff run: the store's admins, listed in full every run. */
        STAFF,
        /** A run from its watermark: what changed since the last run. */
        CHANGES,
        /** A run from the beginning (a first sync, a full listing). */
        BACKFILL
    }

    private final AtomicLong order = new AtomicLong();

    public SyncPagesQueue() {
        super(64, Comparator.comparing((Exchange e) -> e.getProperty(RANK, Rank.BACKFILL, Rank.class))
                .thenComparingLong(e -> e.getProperty(ORDER, 0L, Long.class)));
    }

    /** Every way in ({@code put}, {@code add}, the timed offer) comes here: the page's place is stamped once. */
    @Override
    public boolean offer(Exchange page) {
        page.setProperty(ORDER, order.incrementAndGet());
        return super.offer(page);
    }
}
