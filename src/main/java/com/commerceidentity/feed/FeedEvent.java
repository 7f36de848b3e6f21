package com.commerceidentity.feed;

import java.time.Instant;

/**
 * One change in the feed. {@code json} is the complete event document as published (NDJSON line and HTTP
 * feed entry); the other fields are its index columns.
 */
public record FeedEvent(long seq, String type, String identityId, String accountKey, Instant occurredAt,
                        String json) {

    public static final String IDENTITY_CREATED = "identity.created";
    public static final String IDENTITY_UPDATED = "identity.updated";
    public static final String IDENTITY_MERGED = "identity.merged";
    public static final String IDENTITY_DELETED = "identity.deleted";
    public static final String ACCOUNT_LINKED = "account.linked";
    public static final String ACCOUNT_UNLINKED = "account.unlinked";
    public static final String ACCOUNT_DELETED = "account.deleted";
    public static final String ACCOUNT_ERASED = "account.erased";
}
