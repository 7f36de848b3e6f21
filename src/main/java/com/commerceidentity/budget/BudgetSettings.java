package com.commerceidentity.budget;

import com.commerceidentity.store.StoreConfig;
import java.util.Map;

/**
 * Reads {@code stores.<id>.budget.<key>} (REST, or the only lane) and {@code stores.<id>.budget.graphql.<key>}
 * (a platform's GraphQL lane), so a mistyped value names the exact key to fix. Where the store sets a key not,
 * the platform's own figure for it applies ({@code PlatformModule#budgetDefaults}), then the policy's.
 */
final class BudgetSettings {
    private final StoreConfig store;
    private final String prefix;
    private final Map<String, String> platformDefaults;

    BudgetSettings(StoreConfig store, String lane, Map<String, String> platformDefaults) {
        this.store = store;
        this.prefix = RateBudgets.GRAPHQL.equals(lane) ? "budget.graphql." : "budget.";
        this.platformDefaults = platformDefaults;
    }

    String key(String name) {
        return "stores." + store.id() + "." + prefix + name;
    }

    String text(String name, String fallback) {
        String v = store.settings().get(prefix + name);
        if (v == null || v.isBlank()) {
            v = platformDefaults.get(name);
        }
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
