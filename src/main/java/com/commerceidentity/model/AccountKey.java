package com.commerceidentity.model;

import java.util.Objects;

/**
 * Canonical account key {@code platform:store:kind:sourceId}. The source id is kept exactly as the
 * platform gave it, as text: some platforms' ids exceed 2^53 and must never pass through a double.
 *
 * <p>A value class rather than a record so the text form is built once: the graph indexes, compares and
 * stores accounts by it many times per observation.
 */
public final class AccountKey {
    private final Platform platform;
    private final String store;
    private final Kind kind;
    private final String sourceId;
    private final String text;

    public AccountKey(Platform platform, String store, Kind kind, String sourceId) {
        Objects.requireNonNull(platform, "platform");
        requireText(store, "store");
        Objects.requireNonNull(kind, "kind");
        requireText(sourceId, "sourceId");
        if (store.indexOf(':') >= 0) {
            throw new IllegalArgumentException("store id must not contain ':' but was '" + store + "'");
        }
        this.platform = platform;
        this.store = store;
        this.kind = kind;
        this.sourceId = sourceId;
        this.text = platform.id() + ":" + store + ":" + kind.id() + ":" + sourceId;
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

    public Platform platform() {
        return platform;
    }

    public String store() {
        return store;
    }

    public Kind kind() {
        return kind;
    }

    public String sourceId() {
        return sourceId;
    }

    /** The text form determines every part, so it alone decides equality. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AccountKey other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
