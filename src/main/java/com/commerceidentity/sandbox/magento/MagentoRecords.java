package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Control-API record operations on customers and admin users ({@code staff}). Customer changes send the Adobe
 * Commerce webhooks once the store has them; admin-user changes send nothing (there is no such Adobe webhook).
 */
record MagentoRecords(MagentoStore store, MagentoWebhooks hooks) implements RecordControl {

    @Override
    public List<JsonNode> list(String kind) {
        return store.list(kind);
    }

    @Override
    public Optional<JsonNode> get(String kind, String id) {
        return store.get(kind, parseId(id));
    }

    @Override
    public JsonNode create(String kind, JsonNode fields) {
        ObjectNode created = store.create(kind, fields);
        if (!MagentoStore.staff(kind)) {
            hooks.deliver(MagentoSimulator.SAVE_EVENT, created, null);
        }
        return created;
    }

    @Override
    public Optional<JsonNode> update(String kind, String id, JsonNode fields) {
        Optional<MagentoStore.Change> change = store.update(kind, parseId(id), fields);
        if (change.isEmpty()) {
            return Optional.empty();
        }
        if (!MagentoStore.staff(kind)) {
            hooks.deliver(MagentoSimulator.SAVE_EVENT, change.get().after(), change.get().before());
        }
        return Optional.of(change.get().after());
    }

    @Override
    public boolean delete(String kind, String id) {
        ObjectNode removed = store.delete(kind, parseId(id));
        if (removed != null && !MagentoStore.staff(kind)) {
            hooks.deliver(MagentoSimulator.DELETE_EVENT, removed, null);
        }
        return removed != null;
    }

    @Override
    public Optional<JsonNode> touch(String kind, String id) {
        return update(kind, id, Json.object());
    }

    @Override
    public void triggerWebhook(String topic, String id) {
        if (!topic.equals(MagentoSimulator.SAVE_EVENT) && !topic.equals(MagentoSimulator.DELETE_EVENT)) {
            throw new IllegalArgumentException("topic must be " + MagentoSimulator.SAVE_EVENT + " or "
                    + MagentoSimulator.DELETE_EVENT);
        }
        ObjectNode customer = store.customer(parseId(id));
        if (customer == null) {
            throw new NoSuchElementException("no customer " + id);
        }
        hooks.deliver(topic, customer, null);
    }

    /** An id that is not a number finds nothing, as an unknown number does. */
    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
