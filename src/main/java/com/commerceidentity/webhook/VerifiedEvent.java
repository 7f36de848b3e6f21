package com.commerceidentity.webhook;

/**
 * A delivery whose signature checked out.
 *
 * @param dedupKey the platform's identity of the event: a second delivery of the same event has the same key
 * @param topic    what happened, in the platform's own words ({@code customers/update}, {@code store/customer/created})
 */
public record VerifiedEvent(String dedupKey, String topic) {
}
