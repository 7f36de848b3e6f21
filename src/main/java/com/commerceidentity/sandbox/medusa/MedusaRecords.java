package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Control-API record operations on customers and admin users ({@code staff}); every change emits its
 * {@code customer.*} or {@code user.*} event. Deletes are soft, as Medusa's are.
 */
record MedusaRecords(MedusaStore store, MedusaWebhooks hooks) implements RecordControl {

    @Override
    public List<JsonNode> list(String kind) {
        return store.list(kind);
    }

    @Override
    public Optional<JsonNode> get(String kind, String id) {
        return store.get(kind, id);
    }

    @Override
    public JsonNode create(String kind, JsonNode fields) {
        ObjectNode created = store.create(kind, fields);
        hooks.emit(entity(kind) + ".created", created.get("id").asText());
        return created;
    }

    @Override
    public Optional<JsonNode> update(String kind, String id, JsonNode fields) {
        Optional<ObjectNode> updated = store.update(kind, id, fields);
        if (updated.isEmpty()) {
            return Optional.empty();
        }
        hooks.emit(entity(kind) + ".updated", id);
        return Optional.of(updated.get());
    }

    @Override
    public boolean delete(String kind, String id) {
        if (!store.delete(kind, id)) {
            return false;
        }
        hooks.emit(entity(kind) + ".deleted", id);
        return true;
    }

    @Override
    public Optional<JsonNode> touch(String kind, String id) {
        return update(kind, id, Json.object());
    }

    @Override
    public void triggerWebhook(String topic, String id) {
        String kind = id.startsWith("user_") ? STAFF : CUSTOMER;
        if (!List.of("created", "updated", "deleted").stream().map(a -> entity(kind) + "." + a).toList().contains(topic)) {
            throw new IllegalArgumentException("topic must be " + entity(kind) + ".created|updated|deleted for " + id);
        }
        if (!store.contains(kind, id)) {
            throw new NoSuchElementException("no record " + id);
        }
        hooks.emit(topic, id);
    }

    private static String entity(String kind) {
        return MedusaStore.staff(kind) ? "user" : "customer";
    }
}
