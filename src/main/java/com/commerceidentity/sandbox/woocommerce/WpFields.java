package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The global {@code _fields=a,b.c} parameter (facts base.global_wp_params): each item keeps only the listed
 * top-level or dotted nested fields, and {@code _links} only when listed, as rest_filter_response_fields() and
 * WP_REST_Server::response_to_data() do.
 */
final class WpFields {

    private final List<String> fields;

    private WpFields(List<String> fields) {
        this.fields = fields;
    }

    /** null when the request has no (or an empty) {@code _fields}. */
    static WpFields of(PhpQuery query) {
        Object raw = query.values.get("_fields");
        List<String> fields = new ArrayList<>();
        if (raw instanceof String s) {
            for (String f : s.split("[\\s,]+")) {
                if (!f.isBlank()) {
                    fields.add(f.trim());
                }
            }
        } else if (raw instanceof Map<?, ?> array) {
            array.values().forEach(v -> fields.add(String.valueOf(v).trim()));
        }
        return fields.isEmpty() ? null : new WpFields(fields);
    }

    ObjectNode apply(ObjectNode item) {
        ObjectNode kept = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (fields.contains(name)) {
                kept.set(name, field.getValue());
            } else if (field.getValue().isObject() && !name.equals("_links")) {
                ObjectNode nested = Json.object();
                field.getValue().fields().forEachRemaining(sub -> {
                    if (fields.contains(name + "." + sub.getKey())) {
                        nested.set(sub.getKey(), sub.getValue());
                    }
                });
                if (!nested.isEmpty()) {
                    kept.set(name, nested);
                }
            }
        }
        return kept;
    }
}
