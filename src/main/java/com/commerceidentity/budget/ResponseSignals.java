package com.commerceidentity.budget;

import java.util.OptionalLong;

/**
 * One answer as a budget learns from it: its status, what it said about the rate limit (read by the store's
 * platform module) and when it came back, on the clock permits are stamped with.
 */
public record ResponseSignals(int status, LimitSignals limits, long receivedNanos) {

    public ResponseSignals {
        limits = limits == null ? LimitSignals.NONE : limits;
    }

    public static ResponseSignals of(int status, LimitSignals limits) {
        return new ResponseSignals(status, limits, System.nanoTime());
    }

    public OptionalLong retryAfterMillis() {
        return limits.retryAfterMillis();
    }
}
