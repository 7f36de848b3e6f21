package com.commerceidentity.sync;

import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;

/**
 * The queue of {@code seda:sync-pages}: pages read by every run of the node, waiting for the one route that maps and
 * commits them. Staff pages go before customer pages; otherwise pages go in the order they were read, so each run's
 * pages still reach the graph in its own order. A staff run is how a removed admin shows as deleted: while 36 stores
 * backfilled their customers, its page waited behind theirs, and staff runs took 44 s (median) instead of half a
 * second. How much waits here is bounded by the runs' read-ahead ({@code app.sync.read-ahead-total-bytes}), not by
 * the queue.
 */
public final class SyncPagesQueue extends PriorityBlockingQueue<Exchange> {
    /** On a page's exchange: {@code true} when its run lists staff. */
    public static final String STAFF = "syncPageOfStaff";
    static final String ORDER = "syncPageOrder";
    private static final long serialVersionUID = 1L;

    private final AtomicLong order = new AtomicLong();

    public SyncPagesQueue() {
        super(64, Comparator.comparing((Exchange e) -> !e.getProperty(STAFF, false, Boolean.class))
                .thenComparingLong(e -> e.getProperty(ORDER, 0L, Long.class)));
    }

    /** Every way in ({@code put}, {@code add}, the timed offer) comes here: the page's place is stamped once. */
    @Override
    public boolean offer(Exchange page) {
        page.setProperty(ORDER, order.incrementAndGet());
        return super.offer(page);
    }
}
