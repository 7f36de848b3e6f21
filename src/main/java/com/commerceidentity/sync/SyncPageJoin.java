package com.commerceidentity.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * Joins the two branches of one step of {@code sync-run}: "commit page n" and "fetch page n+1". The run goes on
 * with the fetched answer (branch 1), as if it had been fetched after the commit; a failure of either branch
 * fails the run — a failed commit leaves the watermark where the page before it left it, and the page fetched
 * ahead is dropped with it.
 */
public class SyncPageJoin implements AggregationStrategy {
    static final int FETCH_BRANCH = 1;

    @Override
    public Exchange aggregate(Exchange joined, Exchange branch) {
        if (joined == null) {
            return branch;
        }
        Exchange fetched = isFetch(branch) ? branch : joined;
        Exchange committed = fetched == branch ? joined : branch;
        if (fetched.getException() == null && committed.getException() != null) {
            fetched.setException(committed.getException());
        }
        return fetched;
    }

    private static boolean isFetch(Exchange branch) {
        return branch.getProperty(ExchangePropertyKey.MULTICAST_INDEX, -1, Integer.class) == FETCH_BRANCH;
    }
}
