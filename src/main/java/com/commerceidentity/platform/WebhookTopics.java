package com.commerceidentity.platform;

import com.commerceidentity.model.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * One platform's webhook topic table: what a stored event asks for. Full payloads are mapped as they are
 * ({@link Action#RECORDS}); thin events carry ids whose records are fetched in one request per store and poll
 * ({@link Action#FETCH}, see {@link WebhookFetch}); deletions and erasures name the accounts they end. Declared
 * in the platform's route file as a {@link TopicTable} bean named {@code <platform>WebhookTopics}.
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

    /**
     * Every account id a payload of any topic names (a record's id, a deletion's, an erasure's): an erasure sets
     * aside the held events about the erased accounts, whatever their topic.
     */
    Set<String> namedIds(JsonNode payload);
}
