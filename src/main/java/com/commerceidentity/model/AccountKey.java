package com.commerceidentity.model;

import java.util.Objects;

/**
 * Canonical account key {@code platform:store:kind:sourceId}. The source id is kept exactly as the
 * platform gave it, as text: Shopify ids exceed 2^53 and must never pass through a double.
 */
public record AccountKey(Platform platform, String store, Kind kind, String sourceId) {

    public AccountKey {
        Objects.requireNonNull(platform, "platform");
        requireText(store, "store");
        Objects.requireNonNull(kind, "kind");
        requireText(sourceId, "sourceId");
        if (store.indexOf(':') >= 0) {
            throw new IllegalArgumentException("store id must not contain ':' but was '" + store + "'");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Parses {@code platform:store:kind:sourceId}; the source id may itself contain ':' (e.g. gid://). */
    public static AccountKey parse(String key) {
        String[] parts = key.split(":", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("account key must be platform:store:kind:sourceId but was '" + key + "'");
        }
        return new AccountKey(Platform.of(parts[0]), parts[1], Kind.of(parts[2]), parts[3]);
    }

    @Override
    public String toString() {
        return platform.id() + ":" + store + ":" + kind.id() + ":" + sourceId;
    }
}
