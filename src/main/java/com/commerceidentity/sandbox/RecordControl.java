package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * Test-facing record operations a simulator offers through its control API ({@code /_sandbox/records}).
 * Records are in the platform's own JSON shape; {@code kind} is {@code "customer"} (default) or
 * {@code "staff"} where the platform has staff accounts. Each mutation fires the platform's matching webhook
 * when webhooks are configured, exactly as a change in the store's admin would.
 */
public interface RecordControl {

    String CUSTOMER = "customer";
    String STAFF = "staff";

    List<JsonNode> list(String kind);

    /** How many {@link #list} would return; a store that can count without rendering every record says so. */
    default long count(String kind) {
        return list(kind).size();
    }

    Optional<JsonNode> get(String kind, String id);

    /** Creates a record from platform-shaped fields (e.g. first_name, last_name, email, phone). */
    JsonNode create(String kind, JsonNode fields);

    /** Merges the given fields into the record and bumps its modification time; empty when unknown. */
    Optional<JsonNode> update(String kind, String id, JsonNode fields);

    boolean delete(String kind, String id);

    /** Bumps the modification time only (the record moves to the end of an updated-at ordering). */
    Optional<JsonNode> touch(String kind, String id);

    /** Sends the platform webhook {@code topic} for the record {@code id} now, without changing anything. */
    void triggerWebhook(String topic, String id);
}
