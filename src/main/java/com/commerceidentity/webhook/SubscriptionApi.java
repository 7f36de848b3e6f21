package com.commerceidentity.webhook;

import com.commerceidentity.store.StoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * How one platform subscribes a store's customer events to this app: what to ask for, how to see what is
 * already there, how to add one subscription. {@link WebhookRegistration} drives it from the
 * {@code webhook-register} route; every request goes through {@code direct:store-call}.
 */
public interface SubscriptionApi {

    /** The topics (or scopes) this app needs, in the platform's own words and in this order. */
    List<String> topics();

    /** Lists what the store already sends to {@code destination}. */
    StoreRequest lookup(StoreConfig store, String destination);

    /** From the look-up answer: the topics already subscribed for the destination. */
    Set<String> subscribed(JsonNode answer);

    /** Subscribes {@code topic} to {@code destination}. */
    StoreRequest create(StoreConfig store, String destination, String topic);

    /** What the platform said when it refused a subscription, if it is safe to show (it echoes nothing we sent). */
    default JsonNode refusal(JsonNode answer) {
        return null;
    }

    /** What ops still have to set up outside this API, or null. */
    default String note(String destination) {
        return null;
    }
}
