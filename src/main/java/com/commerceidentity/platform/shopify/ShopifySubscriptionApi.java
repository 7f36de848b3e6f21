package com.commerceidentity.platform.shopify;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.commerceidentity.webhook.SubscriptionApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Shopify REST {@code /admin/api/<version>/webhooks.json}: one subscription per customer topic, JSON format,
 * at the store's API version ({@code stores.<id>.api-version}, as the sync uses). Deliveries are signed with
 * the app's client secret, so nothing secret is sent here. The compliance topics cannot be subscribed this
 * way: Shopify takes them from the app configuration only.
 */
public final class ShopifySubscriptionApi implements SubscriptionApi {
    static final List<String> TOPICS = List.of("customers/create", "customers/update", "customers/delete",
            "customers/enable", "customers/disable");
    private final ObjectMapper json;

    public ShopifySubscriptionApi(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public StoreRequest lookup(StoreConfig store, String destination) {
        return StoreRequest.get(webhooks(store), "address=" + URLEncoder.encode(destination, StandardCharsets.UTF_8)
                + "&limit=250");
    }

    @Override
    public Set<String> subscribed(JsonNode answer) {
        Set<String> topics = new LinkedHashSet<>();
        answer.path("webhooks").forEach(w -> topics.add(w.path("topic").asText()));
        return topics;
    }

    @Override
    public StoreRequest create(StoreConfig store, String destination, String topic) {
        ObjectNode body = json.createObjectNode();
        body.putObject("webhook").put("topic", topic).put("address", destination).put("format", "json");
        return StoreRequest.post(webhooks(store), body.toString());
    }

    /** Shopify's {@code errors} object names the field and the reason; it repeats nothing secret. */
    @Override
    public JsonNode refusal(JsonNode answer) {
        return answer.has("errors") ? answer.get("errors") : null;
    }

    @Override
    public String note(String destination) {
        return "customers/redact, customers/data_request and shop/redact cannot be subscribed through Shopify's API:"
                + " list them as compliance_topics in the app configuration (shopify.app.toml [[webhooks.subscriptions]],"
                + " uri = \"" + destination + "\") or in the Partner Dashboard";
    }

    private static String webhooks(StoreConfig store) {
        return "/admin/api/" + ShopifyModule.apiVersion(store) + "/webhooks.json";
    }
}
