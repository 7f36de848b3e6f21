package com.commerceidentity.graph;

import java.time.Instant;

/** An identity's own row: its stable id, whether it was merged away or deleted, and its lifetime. */
public record IdentityRow(String id, String mergedInto, boolean deleted, Instant createdAt, Instant updatedAt) {

    IdentityRow mergedInto(String survivor, Instant at) {
        return new IdentityRow(id, survivor, false, createdAt, at);
    }

    IdentityRow deleted(Instant at) {
        return new IdentityRow(id, null, true, createdAt, at);
    }

    IdentityRow touched(Instant at) {
        return new IdentityRow(id, null, false, createdAt, at);
    }
}
