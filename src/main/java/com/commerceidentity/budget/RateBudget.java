package com.commerceidentity.budget;

import java.util.Map;

/**
 * One store's allowance of requests for one API (a store's REST and GraphQL APIs are metered separately).
 * Every caller of that API, whichever route it sits in, takes a {@link Permit} before sending and hands the
 * response back, so the budget both paces our requests and learns what the platform says about the bucket
 * (requests made by other apps on the same store included).
 */
public interface RateBudget {

    /** Blocks until a request of {@code cost} units may be sent (1 for request-counted APIs). */
    Permit acquire(double cost) throws InterruptedException;

    /**
     * Learns from the response to a request sent with {@code permit}: what it said about the rate limit, as the
     * platform module read it. Returns how long to wait before retrying when the platform refused the request for
     * rate reasons (429, GraphQL THROTTLED), or a negative number when it did not.
     */
    long observe(Permit permit, ResponseSignals response);

    /** The request never got an answer (timeout, reset): give back what it held. */
    void abandon(Permit permit);

    /** Stops every caller of this budget until {@code millis} from now (the platform said "wait"). */
    void pause(long millis);

    /**
     * The least time, in seconds, this budget needs from now to let {@code requests} more go at full speed (what is
     * free now at once, the rest at its sustained rate); negative when it cannot tell. With {@link #roundTripNanos}
     * it tells a run how many requests in flight keep up with the budget, and how many would only wait in it.
     */
    default double secondsFor(long requests) {
        return -1;
    }

    /**
     * The last time from sending a request to reading its answer; 0 before the first answer. The last, not a
     * cautious average: a run's first requests also pay for opening the connection and a cold JVM, and sizing
     * lanes by them cut a walk at 0 ms latency in two.
     */
    default long roundTripNanos() {
        return 0;
    }

    /** What ops see at {@code GET /stores/{id}/budget}. */
    Map<String, Object> state();

    String policy();
}
