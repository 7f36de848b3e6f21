package com.commerceidentity.platform.shopify;

import com.commerceidentity.budget.LimitSignals;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * How Shopify states its limits, read for the generic budgets: REST answers carry
 * {@code X-Shopify-Shop-Api-Call-Limit: used/size} (a leaky bucket), GraphQL answers {@code extensions.cost}
 * (cost points), and the REST drain rate depends on the shop's plan, which no answer reports.
 */
final class ShopifyRateLimits {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShopifyRateLimits() {
    }

    static LimitSignals signals(String lane, int status, Map<String, String> headers, String body) {
        LimitSignals signals = LimitSignals.retryAfter(headers);
        LimitSignals.BucketFill fill = callLimit(headers.get("X-Shopify-Shop-Api-Call-Limit"));
        if (fill != null) {
            signals = signals.withBucket(fill);
        }
        if (ShopifyModule.GRAPHQL.equals(lane) && status == 200) {
            LimitSignals.CostPoints cost = cost(body);
            if (cost != null) {
                signals = signals.withCost(cost);
            }
        }
        return signals;
    }

    /** {@code used/size}; null when absent or not two whole numbers. */
    static LimitSignals.BucketFill callLimit(String header) {
        if (header == null) {
            return null;
        }
        int slash = header.indexOf('/');
        if (slash < 0) {
            return null;
        }
        try {
            return new LimitSignals.BucketFill(Long.parseLong(header.substring(0, slash).trim()),
                    Long.parseLong(header.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code extensions.cost}; a THROTTLED error means the query did not run (its actual cost is then null). */
    static LimitSignals.CostPoints cost(String body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode cost = root.path("extensions").path("cost");
            if (cost.isMissingNode()) {
                return null;
            }
            JsonNode t = cost.path("throttleStatus");
            boolean throttled = false;
            for (JsonNode e : root.path("errors")) {
                if ("THROTTLED".equals(e.path("extensions").path("code").asText())
                        || "Throttled".equalsIgnoreCase(e.path("message").asText())) {
                    throttled = true;
                }
            }
            JsonNode actual = cost.path("actualQueryCost");
            return new LimitSignals.CostPoints(cost.path("requestedQueryCost").asDouble(),
                    actual.isNumber() ? actual.asDouble() : null, t.path("maximumAvailable").asDouble(),
                    t.path("currentlyAvailable").asDouble(), t.path("restoreRate").asDouble(), throttled);
        } catch (IOException e) {
            return null; // a page that is not JSON is the caller's problem to report; the budget learns nothing
        }
    }

    /**
     * REST drain rates per plan, as shopify.dev publishes them (Standard 2/s, Advanced 4/s, Plus 20/s). The
     * bucket size is learnt from the call-limit header instead: Shopify no longer documents it for every plan.
     */
    static double leakPerSecond(String plan) {
        return switch (plan.trim().toLowerCase(Locale.ROOT)) {
            case "standard", "basic" -> 2;
            case "advanced" -> 4;
            case "plus", "enterprise" -> 20;
            default -> throw new IllegalArgumentException("unknown Shopify plan '" + plan
                    + "'; use standard, advanced or plus (or set budget.leak-per-second)");
        };
    }
}
