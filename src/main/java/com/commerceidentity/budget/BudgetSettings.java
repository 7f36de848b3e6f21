package com.commerceidentity.budget;

import com.commerceidentity.store.StoreConfig;

/**
 * Reads {@code stores.<id>.budget.<key>} (REST, or the only lane) and {@code stores.<id>.budget.graphql.<key>}
 * (Shopify GraphQL), so a mistyped value names the exact key to fix.
 */
final class BudgetSettings {
    private final StoreConfig store;
    private final String prefix;

    BudgetSettings(StoreConfig store, String lane) {
        this.store = store;
        this.prefix = RateBudgets.GRAPHQL.equals(lane) ? "budget.graphql." : "budget.";
    }

    String key(String name) {
        return "stores." + store.id() + "." + prefix + name;
    }

    String text(String name, String fallback) {
        String v = store.settings().get(prefix + name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    long number(String name, long fallback) {
        String v = text(name, null);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key(name) + " = '" + v + "' is not a whole number");
        }
    }

    double decimal(String name, double fallback) {
        String v = text(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key(name) + " = '" + v + "' is not a number");
        }
    }
}
