package com.commerceidentity.platform.bigcommerce;

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
 * BigCommerce {@code /v3/hooks}: one hook with scope {@code store/customer/*}, carrying the store's webhook
 * secret as the custom header our verifier checks ({@code stores.<id>.webhook-header}, default
 * {@code X-Webhook-Secret}).
 */
public final class BigCommerceSubscriptionApi implements SubscriptionApi {
    static final String SCOPE = "store/customer/*";
    private final ObjectMapper json;

    public BigCommerceSubscriptionApi(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public List<String> topics() {
        return List.of(SCOPE);
    }

    @Override
    public StoreRequest lookup(StoreConfig store, String destination) {
        return StoreRequest.get("/v3/hooks", "destination=" + URLEncoder.encode(destination, StandardCharsets.UTF_8));
    }

    @Override
    public Set<String> subscribed(JsonNode answer) {
        Set<String> scopes = new LinkedHashSet<>();
        answer.path("data").forEach(hook -> scopes.add(hook.path("scope").asText()));
        return scopes;
    }

    @Override
    public StoreRequest create(StoreConfig store, String destination, String topic) {
        ObjectNode hook = json.createObjectNode().put("scope", topic).put("destination", destination)
                .put("is_active", true);
        hook.putObject("headers").put(store.setting("webhook-header"),
                store.webhookSecret());
        return StoreRequest.post("/v3/hooks", hook.toString());
    }
}
