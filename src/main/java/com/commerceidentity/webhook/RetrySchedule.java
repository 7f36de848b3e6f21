package com.commerceidentity.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When failed webhook work runs again: {@code firstDelay} after the first failure, doubling after each further
 * one up to {@code maxDelay}, for at most {@code maxAttempts} attempts in all (the first one included).
 */
public record RetrySchedule(int maxAttempts, Duration firstDelay, Duration maxDelay) {

    public RetrySchedule {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("app.webhooks.retry.max-attempts must be at least 1 but is " + maxAttempts);
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("app.webhooks.retry delays must satisfy 0 <= first-delay-ms <= max-delay-ms");
        }
    }

    /**
     * @param failures how many attempts have failed so far, this one included
     * @return when to try again, or empty when that was the last attempt
     */
    public Optional<Instant> next(int failures, Instant now) {
        if (failures >= maxAttempts) {
            return Optional.empty();
        }
        // Shifting past 62 bits would overflow long before the cap matters.
        int doublings = Math.min(Math.max(failures - 1, 0), 40);
        long millis = firstDelay.toMillis();
        long delay = millis == 0 ? 0 : millis > (maxDelay.toMillis() >> doublings) ? maxDelay.toMillis() : millis << doublings;
        return Optional.of(now.plusMillis(Math.min(delay, maxDelay.toMillis())));
    }
}
