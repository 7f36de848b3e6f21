package com.commerceidentity.feed;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One change in the feed. {@code utf8} is the complete event document as published (NDJSON line and HTTP
 * feed entry), kept as the UTF-8 bytes that are stored and written, so the hot path never re-encodes it; the
 * other fields are its index columns. Do not modify the array.
 */
public record FeedEvent(long seq, String type, String identityId, String accountKey, Instant occurredAt,
                        byte[] utf8) {

    public String json() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    public static final String IDENTITY_CREATED = "identity.created";
    public static final String IDENTITY_UPDATED = "identity.updated";
    public static final String IDENTITY_MERGED = "identity.merged";
    public static final String IDENTITY_DELETED = "identity.deleted";
    public static final String ACCOUNT_LINKED = "account.linked";
    public static final String ACCOUNT_UNLINKED = "account.unlinked";
    public static final String ACCOUNT_DELETED = "account.deleted";
    public static final String ACCOUNT_ERASED = "account.erased";
    public static final String ACCOUNT_ACCESS_CHANGED = "account.access_changed";
}
