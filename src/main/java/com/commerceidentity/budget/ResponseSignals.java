package com.commerceidentity.budget;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The parts of a platform response a budget learns from: status, rate-limit headers (looked up without regard
 * to case, as the platforms promise) and, for GraphQL, the {@code extensions.cost} block.
 */
public record ResponseSignals(int status, Map<String, String> headers, GraphqlCost cost, long receivedNanos) {

    /** Shopify's {@code extensions.cost}; {@code actualQueryCost} is null when the query was throttled. */
    public record GraphqlCost(double requested, Double actual, double maximumAvailable, double currentlyAvailable,
                              double restoreRate, boolean throttled) {
    }

    public ResponseSignals {
        TreeMap<String, String> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> {
            if (k != null && v != null) {
                folded.put(k, v);
            }
        });
        headers = folded;
    }

    public static ResponseSignals of(int status, Map<String, String> headers) {
        return new ResponseSignals(status, headers, null, System.nanoTime());
    }

    public String header(String name) {
        return headers.get(name);
    }

    public OptionalLong longHeader(String name) {
        String v = headers.get(name);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code Retry-After} in milliseconds: Shopify sends fractional seconds ("2.0"); HTTP dates are not used by these APIs. */
    public OptionalLong retryAfterMillis() {
        String v = headers.get("Retry-After");
        if (v == null) {
            return OptionalLong.empty();
        }
        OptionalDouble seconds = parseDouble(v);
        return seconds.isPresent() ? OptionalLong.of((long) Math.ceil(seconds.getAsDouble() * 1000)) : OptionalLong.empty();
    }

    static OptionalDouble parseDouble(String v) {
        try {
            return OptionalDouble.of(Double.parseDouble(v.trim().toLowerCase(Locale.ROOT)));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
