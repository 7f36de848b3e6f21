package com.commerceidentity.platform;

import com.commerceidentity.model.Kind;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * How a platform lists the records of webhook ids: the records of thin events (ids only), and the records of
 * deletions confirmed at the source (an id missing from the answer is gone at the store). One request per store
 * and poll, at most {@link #maxIdsPerRequest} ids (a larger burst takes several). The inbox waits up to its poll
 * time for thin events (a topic table's {@code fetch}), so a burst shares one request.
 */
public interface WebhookFetch {

    StoreRequest request(StoreConfig store, Kind kind, Set<String> ids);

    /** The records in the answer to {@link #request}. */
    JsonNode records(JsonNode answer, Kind kind);

    /**
     * The most ids one {@link #request} may name: the answer must hold every record in one page, so this is the
     * platform's largest page (an id cut off by a short page would read as deleted). 250 ids still fit in a URL.
     */
    default int maxIdsPerRequest() {
        return 250;
    }

    /** A listed record's id, as webhook payloads name it. */
    default String id(JsonNode record) {
        return record.path("id").asText();
    }
}
