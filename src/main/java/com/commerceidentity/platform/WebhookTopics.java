package com.commerceidentity.platform;

import com.commerceidentity.model.Kind;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * One platform's webhook topic table: what a stored event asks for. Full payloads are mapped as they are
 * ({@link Action#RECORDS}); thin events carry ids whose records are fetched in one request per store and poll
 * ({@link Action#FETCH}); deletions and erasures name the accounts they end.
 */
public interface WebhookTopics {

    enum Action { RECORDS, FETCH, DELETE, ERASE, IGNORE }

    /** What one event asks for. */
    record Work(Action action, Kind kind, List<JsonNode> records, Set<String> ids) {
        public static Work ignore() {
            return new Work(Action.IGNORE, null, List.of(), Set.of());
        }
    }

    Work classify(String topic, JsonNode payload);

    /** The request for the records of {@code ids} (thin events), at most 250 ids. */
    default StoreRequest fetch(StoreConfig store, Kind kind, Set<String> ids) {
        throw new UnsupportedOperationException(store.platform().id() + " webhooks carry full payloads");
    }

    /** The records in the answer to {@link #fetch}. */
    default JsonNode fetched(JsonNode answer, Kind kind) {
        throw new UnsupportedOperationException("no fetch for this platform");
    }

    /** True when events carry ids only: the inbox waits up to its poll time to gather one fetch per store. */
    default boolean thin() {
        return false;
    }
}
