package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;

/** One REST webhook subscription: Shopify sends every event of {@code topic} to {@code address}. */
record WebhookSubscription(long id, String topic, String address, String format, String apiVersion, Instant createdAt) {

    /** The REST 2025-07 shape, timestamps in the shop's time zone like every other REST resource. */
    ObjectNode toJson(ZoneId zone) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("address", address);
        node.put("topic", topic);
        node.put("created_at", ShopifyCustomer.timestamp(createdAt, zone));
        node.put("updated_at", ShopifyCustomer.timestamp(createdAt, zone));
        node.put("format", format);
        node.putArray("fields");
        node.putArray("metafield_namespaces");
        node.put("api_version", apiVersion);
        node.putArray("private_metafield_namespaces");
        return node;
    }
}
