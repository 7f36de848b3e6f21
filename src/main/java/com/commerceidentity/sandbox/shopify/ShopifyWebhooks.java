package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds and signs Shopify HTTPS webhooks for customer topics. Payloads follow API 2025-01+ (no tags or
 * marketing-consent fields in customer payloads); {@code customers/delete} carries only the id-level fields;
 * {@code customers/redact} is the GDPR shape. A duplicated delivery keeps {@code X-Shopify-Event-Id} and gets
 * a new {@code X-Shopify-Webhook-Id}, which is why receivers must de-duplicate on the event id.
 */
final class ShopifyWebhooks {

    static final Set<String> TOPICS = Set.of("customers/create", "customers/update", "customers/delete",
            "customers/enable", "customers/disable", "customers/redact");

    private final ShopifySimulator simulator;

    ShopifyWebhooks(ShopifySimulator simulator) {
        this.simulator = simulator;
    }

    /** Sends {@code topic} about {@code customer} (may be a deleted one) if a webhook URL is configured. */
    void send(String topic, ShopifyCustomer customer) {
        if (!TOPICS.contains(topic)) {
            throw new IllegalArgumentException("unsupported topic " + topic + "; supported: " + TOPICS);
        }
        String url = simulator.config.webhookUrl;
        if (url == null || url.isBlank()) {
            return;
        }
        byte[] body = Json.bytes(payload(topic, customer));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Shopify-Topic", topic);
        headers.put("X-Shopify-Hmac-Sha256", sign(simulator.config.appSecret, body));
        headers.put("X-Shopify-Shop-Domain", simulator.config.shopDomain);
        headers.put("X-Shopify-API-Version", simulator.config.webhookApiVersion);
        headers.put("X-Shopify-Webhook-Id", UUID.randomUUID().toString());
        headers.put("X-Shopify-Event-Id", UUID.randomUUID().toString());
        headers.put("X-Shopify-Triggered-At", Instant.now().toString());
        simulator.webhooks().send(new WebhookDispatcher.Delivery(url, headers, body,
                Map.of("X-Shopify-Webhook-Id", UUID.randomUUID().toString())));
    }

    /** {@code X-Shopify-Hmac-Sha256}: base64 HMAC-SHA256 of the raw body, keyed with the app secret. */
    static String sign(String appSecret, byte[] rawBody) {
        return Hmac.sha256Base64(appSecret.getBytes(StandardCharsets.UTF_8), rawBody);
    }

    private ObjectNode payload(String topic, ShopifyCustomer customer) {
        return switch (topic) {
            case "customers/redact" -> {
                ObjectNode node = Json.object();
                node.put("shop_id", simulator.config.shopId);
                node.put("shop_domain", simulator.config.shopDomain);
                node.putObject("customer").put("id", customer.id).put("email", customer.email).put("phone", customer.phone);
                node.putArray("orders_to_redact");
                yield node;
            }
            case "customers/delete" -> {
                ObjectNode node = Json.object();
                node.put("id", customer.id);
                node.put("phone", customer.phone);
                node.putArray("addresses");
                node.putArray("tax_exemptions");
                node.put("admin_graphql_api_id", "gid://shopify/Customer/" + customer.id);
                yield node;
            }
            default -> {
                ObjectNode node = customer.toJson(simulator.config.timezone, "USD");
                node.remove("tags");
                node.remove("email_marketing_consent");
                node.remove("sms_marketing_consent");
                yield node;
            }
        };
    }
}
