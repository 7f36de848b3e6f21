package com.commerceidentity.sync;

import java.util.Locale;

/** Where a run ended up; its lower-case {@link #id} is what summaries and {@code GET /stores/{id}/status} show. */
enum SyncOutcome {
    RUNNING, COMPLETED, FAILED,
    /** The store does not offer the surface ({@link SurfaceUnavailableException}): skipped, not retried. */
    UNAVAILABLE;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
