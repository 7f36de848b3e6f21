package com.commerceidentity.sandbox;

/**
 * Kinds of injectable faults. Request-level faults are applied by the {@link Simulator} before the platform
 * handler runs; body faults when the platform handler answers through {@link Simulator#respondJson}; list
 * faults only when a platform list endpoint asks for them.
 */
public enum FaultType {
    /** Answer with {@link Fault#status()} (default 503) in the platform's error shape. */
    SERVER_ERROR,
    /** Answer 429 in the platform's rate-limit shape although the real limiter has room ("429 storm"). */
    RATE_LIMIT,
    /** Hold the request for {@link Fault#delayMillis()} before handling it normally. */
    SLOW,
    /** Close the TCP connection without sending any response. */
    CONNECTION_RESET,
    /** Send only the first half of the JSON body (Content-Length matches the truncated bytes). */
    TRUNCATED_BODY,
    /** Send a body that is not valid JSON. */
    MALFORMED_JSON,
    /** A list endpoint returns no records although its paging metadata says there are more. */
    EMPTY_PAGE,
    /**
     * The first array of objects in the answer (a list page's records) has one record's field replaced:
     * {@link Fault#field()} of the record at {@link Fault#index()} becomes {@link Fault#value()} (any JSON; a
     * missing value removes the field), as a store whose data breaks its own API's types would send it.
     */
    BAD_FIELD,
    /**
     * The first array of objects in the answer loses its record at {@link Fault#index()}, the paging metadata
     * unchanged: a short page before the last, as a store sends when records vanish between count and read.
     */
    DROP_RECORD,
    /** A list endpoint first touches a record on an earlier page so that it moves to the end of the order. */
    MOVE_RECORD;

    public boolean isRequestLevel() {
        return this == SERVER_ERROR || this == RATE_LIMIT || this == SLOW || this == CONNECTION_RESET;
    }

    public boolean isBodyLevel() {
        return this == TRUNCATED_BODY || this == MALFORMED_JSON || this == BAD_FIELD
                || this == DROP_RECORD;
    }
}
