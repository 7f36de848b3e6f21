package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds and signs Shopify HTTPS webhooks for customer topics, to the shop's REST subscriptions. Payloads
 * follow API 2025-01+ (no tags or marketing-consent fields in customer payloads); {@code customers/delete}
 * carries only the id-level fields; {@code customers/redact} is the GDPR shape. A duplicated delivery keeps {@code X-Shopify-Event-Id} and gets
 * a new {@code X-Shopify-Webhook-Id}, which is why receivers must de-duplicate on the event id.
 */
final class ShopifyWebhooks {

    static final Set<String> TOPICS = Set.of("customers/create", "customers/update", "customers/delete",
            "customers/enable", "customers/disable", "customers/redact");

    private final ShopifySimulator simulator;
    private final WebhookSubscriptions subscriptions;

    ShopifyWebhooks(ShopifySimulator simulator, WebhookSubscriptions subscriptions) {
        this.simulator = simulator;
        this.subscriptions = subscriptions;
    }

    /**
     * Sends {@code topic} about {@code customer} (may be a deleted one). With REST subscriptions on the shop,
     * every address subscribed to the topic gets one delivery, all with the same {@code X-Shopify-Event-Id}
     * and each with its own {@code X-Shopify-Webhook-Id}, as Shopify does. Compliance topics go to
     * {@code webhookUrl}, which stands for the app configuration; so does everything else while the shop has
     * no subscriptions at all.
     */
    void send(String topic, ShopifyCustomer customer) {
        if (!TOPICS.contains(topic)) {
            throw new IllegalArgumentException("unsupported topic " + topic + "; supported: " + TOPICS);
        }
        List<Target> targets = targets(topic);
        if (targets.isEmpty()) {
            return;
        }
        byte[] body = Json.bytes(payload(topic, customer));
        String eventId = UUID.randomUUID().toString();
        String triggeredAt = Instant.now().toString();
        for (Target target : targets) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("X-Shopify-Topic", topic);
            headers.put("X-Shopify-Hmac-Sha256", sign(simulator.config.appSecret, body));
            headers.put("X-Shopify-Shop-Domain", simulator.config.shopDomain);
            headers.put("X-Shopify-API-Version", target.apiVersion());
            headers.put("X-Shopify-Webhook-Id", UUID.randomUUID().toString());
            headers.put("X-Shopify-Event-Id", eventId);
            headers.put("X-Shopify-Triggered-At", triggeredAt);
            simulator.webhooks().send(new WebhookDispatcher.Delivery(target.url(), headers, body,
                    Map.of("X-Shopify-Webhook-Id", UUID.randomUUID().toString())));
        }
    }

    private record Target(String url, String apiVersion) {
    }

    /** Where a delivery of {@code topic} goes: {address, API version} per target, as {@link #send} chooses them. */
    List<String[]> addresses(String topic) {
        return targets(topic).stream().map(t -> new String[] {t.url(), t.apiVersion()}).toList();
    }

    private List<Target> targets(String topic) {
        String configured = simulator.config.webhookUrl;
        Target app = configured == null || configured.isBlank() ? null
                : new Target(configured, simulator.config.webhookApiVersion);
        if (WebhookSubscriptions.COMPLIANCE_TOPICS.contains(topic) || subscriptions.isEmpty()) {
            return app == null ? List.of() : List.of(app);
        }
        return subscriptions.forTopic(topic).stream().map(s -> new Target(s.address(), s.apiVersion())).toList();
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
