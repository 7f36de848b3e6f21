package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shopify's opaque {@code page_info}: base64url JSON carrying the first request's filters and order plus the
 * position (last id and sort value) and direction, in the same spirit as real cursors (which decode to
 * {@code {"updated_at_min":...,"last_id":...,"last_value":...,"direction":"next"}}).
 */
record PageCursor(Map<String, String> filters, String order, long lastId, String lastValue, boolean next) {

    String encode() {
        ObjectNode node = Json.object();
        filters.forEach(node::put);
        node.put("order", order);
        node.put("last_id", lastId);
        node.put("last_value", lastValue);
        node.put("direction", next ? "next" : "prev");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(node));
    }

    /** Decodes a cursor; IllegalArgumentException when it is not one of ours. */
    static PageCursor decode(String pageInfo) {
        try {
            JsonNode node = Json.parse(new String(Base64.getUrlDecoder().decode(pageInfo), StandardCharsets.UTF_8));
            if (!node.has("last_id") || !node.has("direction") || !node.has("order")) {
                throw new IllegalArgumentException("not a cursor");
            }
            Map<String, String> filters = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (CustomerQuery.FILTERS.contains(e.getKey())) {
                    filters.put(e.getKey(), e.getValue().asText());
                }
            });
            return new PageCursor(filters, node.get("order").asText(), node.get("last_id").asLong(),
                    node.path("last_value").asText(), "next".equals(node.get("direction").asText()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid page_info", e);
        }
    }
}
