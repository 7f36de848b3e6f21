package com.commerceidentity.platform;

import com.commerceidentity.model.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * One platform's webhook topic table: what a stored event asks for. Full payloads are mapped as they are
 * ({@link Action#RECORDS}); thin events carry ids whose records are fetched in one request per store and poll
 * ({@link Action#FETCH}, see {@link WebhookFetch}); deletions and erasures name the accounts they end, and
 * a deletion may be confirmed at the source before it is applied ({@link Action#DELETE_IF_GONE}). Declared
 * in the platform's route file as a {@link TopicTable} bean named {@code <platform>WebhookTopics}.
 */
public interface WebhookTopics {

    /**
     * {@code DELETE_IF_GONE}: a deletion confirmed at the source first; the records of its ids are listed from the
     * store (the platform's {@link WebhookFetch}) and only ids the store no longer has are deleted.
     */
    enum Action { RECORDS, FETCH, DELETE, DELETE_IF_GONE, ERASE, IGNORE }

    /** What one event asks for. */
    record Work(Action action, Kind kind, List<JsonNode> records, Set<String> ids) {
        public static Work ignore() {
            return new Work(Action.IGNORE, null, List.of(), Set.of());
        }
    }

    Work classify(String topic, JsonNode payload);

    /**
     * Whether some topic carries ids only, whose records are fetched: such events are worth gathering so a burst
     * shares one request. A platform that looks records up only to confirm its rare deletions is not thin.
     */
    default boolean fetchesRecords() {
        return false;
    }

    /**
     * Every account id a payload of any topic names (a record's id, a deletion's, an erasure's): an erasure sets
     * aside the held events about the erased accounts, whatever their topic.
     */
    Set<String> namedIds(JsonNode payload);
}
