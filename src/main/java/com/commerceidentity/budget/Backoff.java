package com.commerceidentity.budget;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter, for failures that say nothing about when to come back (5xx, resets,
 * a 429 that states no wait, which from a rolling-window platform means it is overloaded itself). Jitter keeps
 * several routes that failed together from retrying together.
 */
public record Backoff(long baseMillis, long maxMillis) {

    public long delayMillis(int attempt) {
        long ceiling = Math.min(maxMillis, baseMillis << Math.min(20, Math.max(0, attempt - 1)));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
