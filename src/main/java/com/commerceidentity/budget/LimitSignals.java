package com.commerceidentity.budget;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one answer says about the store's rate limit, in no platform's words. A platform module reads its own
 * headers or body into these ({@code PlatformModule#limitSignals}); each budget policy takes the part it
 * understands. A part is null (a figure empty) when the answer did not report it.
 *
 * @param retryAfterMillis how long the platform asked us to wait before the next request
 * @param bucket           a leaky bucket's fill
 * @param window           a rolling window's figures
 * @param cost             a cost-points bucket's figures
 */
public record LimitSignals(OptionalLong retryAfterMillis, BucketFill bucket, Window window, CostPoints cost) {
    public static final LimitSignals NONE = new LimitSignals(OptionalLong.empty(), null, null, null);

    /** {@code used} of {@code size} requests are in the store's bucket, ours and other apps' together. */
    public record BucketFill(long used, long size) {
    }

    /** The window's length, its quota, the requests left in it and when it next frees room; each empty when unsaid. */
    public record Window(OptionalLong lengthMillis, OptionalLong quota, OptionalLong left, OptionalLong resetMillis) {
        public static final Window UNREPORTED = new Window(OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty());
    }

    /**
     * A query's cost in points and the bucket after it.
     *
     * @param actual    null when the query did not run (refused for cost)
     * @param throttled the platform refused the query because the bucket held too few points
     */
    public record CostPoints(double requested, Double actual, double maximumAvailable, double currentlyAvailable,
                             double restoreRate, boolean throttled) {
    }

    public LimitSignals {
        retryAfterMillis = retryAfterMillis == null ? OptionalLong.empty() : retryAfterMillis;
    }

    /**
     * The standard HTTP {@code Retry-After} of an answer, every platform's, as milliseconds. Seconds may be
     * fractional ("2.0"); HTTP dates are not used by these APIs.
     *
     * @param headers the answer's headers, looked up without regard to case
     */
    public static LimitSignals retryAfter(Map<String, String> headers) {
        String v = headers.get("Retry-After");
        if (v == null) {
            return NONE;
        }
        try {
            return new LimitSignals(OptionalLong.of((long) Math.ceil(Double.parseDouble(v.trim().toLowerCase(Locale.ROOT)) * 1000)), null,
                    null, null);
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    public LimitSignals withBucket(BucketFill fill) {
        return new LimitSignals(retryAfterMillis, fill, window, cost);
    }

    public LimitSignals withWindow(Window w) {
        return new LimitSignals(retryAfterMillis, bucket, w, cost);
    }

    public LimitSignals withCost(CostPoints points) {
        return new LimitSignals(retryAfterMillis, bucket, window, points);
    }

    /** A header's whole number, empty when it is missing or not one. */
    public static OptionalLong wholeNumber(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
