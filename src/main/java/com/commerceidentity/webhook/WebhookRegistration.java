package com.commerceidentity.webhook;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * {@code POST /stores/{id}/webhooks}: subscribes a BigCommerce store's customer events to this app
 * ({@code /v3/hooks}, scope {@code store/customer/*}, with the store's webhook secret as the custom header we
 * verify). Idempotent: an existing hook for the same destination is left as it is. The destination is
 * {@code app.webhooks.public-url} + {@code /webhooks/bigcommerce/<id>}.
 */
public class WebhookRegistration {
    public static final String EXISTS = "webhookRegistered";
    private final StoreRegistry stores;
    private final ObjectMapper json;
    private final String publicUrl;

    public WebhookRegistration(StoreRegistry stores, ObjectMapper json, String publicUrl) {
        this.stores = stores;
        this.json = json;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

    private StoreConfig store(String id) {
        StoreConfig store = stores.get(id).orElseThrow(() -> new HttpProblem(404, "no store '" + id + "' is configured"));
        if (store.platform() != Platform.BIGCOMMERCE) {
            throw new HttpProblem(400, "registration is built for BigCommerce stores; register "
                    + store.platform().id() + " webhooks in the platform's admin (see docs/webhooks.md)");
        }
        if (publicUrl.isEmpty()) {
            throw new HttpProblem(400, "set app.webhooks.public-url to the address the store can reach this app at");
        }
        if (store.webhookSecret() == null) {
            throw new HttpProblem(400, "store '" + id + "' has no webhook secret (stores." + id + ".webhook-secret)");
        }
        return store;
    }

    private String destination(StoreConfig store) {
        return publicUrl + "/webhooks/bigcommerce/" + store.id();
    }

    /** The look-up: {@code GET /v3/hooks?destination=...}. */
    public void lookup(@Header("id") String id, Exchange exchange) {
        StoreConfig store = store(id);
        Message m = exchange.getMessage();
        m.setHeader(StoreCalls.STORE_ID, store.id());
        m.setHeader(Exchange.HTTP_METHOD, "GET");
        m.setHeader(Exchange.HTTP_PATH, "/v3/hooks");
        m.setHeader(Exchange.HTTP_QUERY, "destination=" + URLEncoder.encode(destination(store), StandardCharsets.UTF_8));
        m.setBody(null);
    }

    /** If no hook exists yet, the create request: {@code POST /v3/hooks}. */
    public void create(@Header("id") String id, Exchange exchange) throws Exception {
        StoreConfig store = store(id);
        Message m = exchange.getMessage();
        JsonNode found = json.readTree(m.getBody(String.class)).path("data");
        boolean exists = found.isArray() && !found.isEmpty();
        m.setHeader(EXISTS, exists);
        if (exists) {
            return;
        }
        ObjectNode hook = json.createObjectNode().put("scope", "store/customer/*").put("destination", destination(store))
                .put("is_active", true);
        hook.putObject("headers").put(store.settings().getOrDefault("webhook-header", "X-Webhook-Secret"),
                store.webhookSecret());
        m.setHeader(StoreCalls.STORE_ID, store.id());
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.HTTP_PATH, "/v3/hooks");
        m.removeHeader(Exchange.HTTP_QUERY);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(hook.toString());
    }

    /** The answer for ops: what is registered now (never the secret). */
    public String answer(@Header("id") String id, Exchange exchange) {
        StoreConfig store = store(id);
        Message m = exchange.getMessage();
        boolean existed = m.getHeader(EXISTS, false, Boolean.class);
        if (!existed) {
            int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (code != 200 && code != 201) {
                throw new HttpProblem(502, "the store refused the webhook registration with HTTP " + code);
            }
        }
        return json.createObjectNode().put("store", store.id()).put("scope", "store/customer/*")
                .put("destination", destination(store)).put("status", existed ? "already registered" : "registered")
                .toString();
    }
}
