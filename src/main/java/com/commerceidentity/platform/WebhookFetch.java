package com.commerceidentity.platform;

import com.commerceidentity.model.Kind;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * How a platform whose webhooks carry ids only ("thin" events) lists the records of those ids: one request per
 * store and poll, at most 250 ids. The inbox waits up to its poll time for such events, so a burst shares one
 * request.
 */
public interface WebhookFetch {

    StoreRequest request(StoreConfig store, Kind kind, Set<String> ids);

    /** The records in the answer to {@link #request}. */
    JsonNode records(JsonNode answer, Kind kind);
}
