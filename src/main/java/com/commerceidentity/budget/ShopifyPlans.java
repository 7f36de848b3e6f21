package com.commerceidentity.budget;

import java.util.Locale;

/**
 * Shopify REST drain rates per plan, as shopify.dev publishes them (Standard 2/s, Advanced 4/s, Plus 20/s).
 * The bucket size is read from {@code X-Shopify-Shop-Api-Call-Limit} instead: Shopify no longer documents it
 * for every plan, but the drain rate appears in no header.
 */
final class ShopifyPlans {
    private ShopifyPlans() {
    }

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
