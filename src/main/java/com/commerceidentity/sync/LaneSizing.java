package com.commerceidentity.sync;

import com.commerceidentity.budget.RateBudget;

/**
 * How many lanes a cursor walk is worth cutting into: the fewest that end the walk as soon as the budget allows.
 * One lane fetches a page per round trip; the budget lets the pages, and the one count that sizes the lanes, go in
 * {@link RateBudget#secondsFor}. On Shopify's standard bucket (2 a second) at 250 ms an answer one walk keeps up
 * with the budget (cutting there once made a 20,000-customer backfill 1.18 x its minimum, one walk 1.12); at 0 ms
 * the budget alone sets the pace. On Plus (20 a second) the same walk is worth seven lanes or so: more only add
 * work for the machine (ten and fourteen lanes ended a 100,000-customer Plus backfill later than seven). The
 * first answers, by which a walk is cut, are cold and ask for 11 to 13; {@code Lanes.rebalance} asks again, by the
 * latest round trip, before it replaces a lane that finished.
 */
final class LaneSizing {
    /** What a lane spends per page beyond the round trip: reading the page and sending the next request. */
    static final double PER_PAGE_SECONDS = 0.010;
    /**
     * Lanes must end the walk a tenth sooner than one walk: the estimate is one round trip's, the cuts are uneven,
     * and with requests side by side a bucket that cannot tell our request in flight from another app's holds room
     * for it.
     */
    static final double WORTH_IT = 0.90;
    private static final int MOST = 64;

    private LaneSizing() {
    }

    /**
     * Whether lanes can pay at all on this budget, before any answer says how long one takes: its sustained pace
     * is more than one walk makes at {@link #SLOWEST_WALK_SECONDS} a round trip. Shopify's standard bucket (2 a
     * second) is not; Plus (20) is. Unknown (a policy that does not say how fast it lets requests go): yes.
     */
    static boolean mayPay(RateBudget budget) {
        double first = budget.secondsFor(10_000);
        double more = budget.secondsFor(20_000);
        if (first < 0 || more <= first) {
            return true;
        }
        return 10_000 / (more - first) > 1 / SLOWEST_WALK_SECONDS;
    }

    /** A slow store's round trip: half a second. */
    static final double SLOWEST_WALK_SECONDS = 0.5;

    /**
     * @return the lanes that end {@code pages} more requests soonest (1: walk on as one), or
     * {@code Integer.MAX_VALUE} when the budget cannot tell (no answer measured yet, or a policy that does not say
     * how fast it lets requests go)
     */
    static int lanesFed(RateBudget budget, long pages) {
        long roundTrip = budget.roundTripNanos();
        if (budget.secondsFor(pages) < 0 || roundTrip <= 0 || pages <= 0) {
            return Integer.MAX_VALUE;
        }
        double walk = pages * (roundTrip / 1e9 + PER_PAGE_SECONDS);
        double single = Math.max(budget.secondsFor(pages), walk);
        int best = 1;
        double bestSeconds = single;
        for (int k = 2; k <= MOST; k++) {
            // one count for the total; the cuts are by time and cost nothing
            double seconds = Math.max(budget.secondsFor(pages + 1), walk / k);
            if (seconds < bestSeconds) {
                best = k;
                bestSeconds = seconds;
            }
        }
        return bestSeconds <= single * WORTH_IT ? best : 1;
    }
}
