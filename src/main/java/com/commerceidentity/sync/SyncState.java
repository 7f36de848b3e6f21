package com.commerceidentity.sync;

import java.time.Instant;
import java.util.Set;

/**
 * Where one surface of one store stands: read everything updated at or after {@code watermark}, except the
 * ids in {@code seenAtWatermark}, which were committed already.
 */
public record SyncState(Instant watermark, Set<String> seenAtWatermark, boolean backfillDone) {
    public static final SyncState START = new SyncState(null, Set.of(), false);
}
