package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** A webhook subscription (webhook_Full in webhooks.v3.yml). */
record Hook(int id, String clientId, String storeHash, String scope, String destination, Map<String, String> headers,
            boolean active, long createdAt, long updatedAt) {

    /** True when an event of {@code eventScope} goes to this hook ("store/customer/*" covers customer events). */
    boolean covers(String eventScope) {
        if (scope.endsWith("/*")) {
            return eventScope.startsWith(scope.substring(0, scope.length() - 1));
        }
        return scope.equals(eventScope);
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("client_id", clientId);
        node.put("store_hash", storeHash);
        node.put("scope", scope);
        node.put("destination", destination);
        if (headers == null) {
            node.putNull("headers");
        } else {
            ObjectNode h = node.putObject("headers");
            headers.forEach(h::put);
        }
        node.put("is_active", active);
        node.put("created_at", createdAt);
        node.put("updated_at", updatedAt);
        return node;
    }
}
