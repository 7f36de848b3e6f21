package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Delivers the thin BigCommerce callback payload to every active hook whose scope covers the event, with the
 * hook's custom headers and Standard Webhooks signature headers. The HMAC key is the app's raw client secret
 * (BigCommerce's docs hand {@code base64(client_secret)} to the standardwebhooks library as the secret).
 * A duplicated delivery is byte-identical, {@code webhook-id} included, as a Standard Webhooks retry is.
 */
final class BigCommerceWebhooks {

    private final BigCommerceSimulator sim;

    BigCommerceWebhooks(BigCommerceSimulator sim) {
        this.sim = sim;
    }

    void send(String scope, int customerId) {
        for (Hook hook : sim.store.hooks()) {
            if (hook.active() && hook.covers(scope)) {
                deliver(hook, scope, customerId);
            }
        }
    }

    private void deliver(Hook hook, String scope, int customerId) {
        long now = Instant.now().getEpochSecond();
        ObjectNode data = Json.object().put("type", "customer").put("id", customerId);
        ObjectNode payload = Json.object();
        payload.put("scope", scope);
        payload.put("store_id", sim.config.storeId);
        payload.set("data", data);
        payload.put("hash", Hmac.sha1Hex(Json.bytes(data)));
        payload.put("created_at", now);
        payload.put("producer", "stores/" + sim.config.storeHash);
        byte[] body = Json.bytes(payload);
        String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (hook.headers() != null) {
            headers.putAll(hook.headers());
        }
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", String.valueOf(now));
        headers.put("webhook-signature", signature(sim.config.clientSecret, messageId, now, body));
        sim.webhooks().send(new WebhookDispatcher.Delivery(hook.destination(), headers, body));
    }

    static String signature(String clientSecret, String messageId, long timestamp, byte[] body) {
        return Hmac.standardWebhooksSignature(clientSecret.getBytes(StandardCharsets.UTF_8), messageId, timestamp, body);
    }

    /** The secret a receiver passes to a Standard Webhooks library: {@code whsec_} + base64(client secret). */
    static String standardWebhooksSecret(String clientSecret) {
        return "whsec_" + java.util.Base64.getEncoder().encodeToString(clientSecret.getBytes(StandardCharsets.UTF_8));
    }
}
