package com.commerceidentity.budget;

/** What one request took from its budget, and when it was sent. */
public final class Permit {
    final long sentNanos;
    final double cost;
    /** Release time of the rolling-window slot; Long.MAX_VALUE while the request is in flight. */
    volatile long releaseNanos = Long.MAX_VALUE;
    final boolean phantom;
    /** The row of the database window all nodes count (BudgetStore#postgres); unused in a node's own budget. */
    volatile long sharedSlot;
    /** Answered or abandoned: a budget counting requests in flight counts this one no longer. */
    volatile boolean settled;

    Permit(long sentNanos, double cost, boolean phantom) {
        this.sentNanos = sentNanos;
        this.cost = cost;
        this.phantom = phantom;
    }

    public double cost() {
        return cost;
    }
}
