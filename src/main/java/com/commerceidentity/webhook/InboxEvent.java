package com.commerceidentity.webhook;

import com.commerceidentity.model.Platform;
import java.time.Instant;

/** One stored delivery. */
public record InboxEvent(long seq, Platform platform, String store, String topic, Instant receivedAt, byte[] body) {
}
