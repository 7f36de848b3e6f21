package com.commerceidentity.platform.shopify;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.Signatures;
import com.commerceidentity.webhook.VerifiedEvent;
import com.commerceidentity.webhook.WebhookRejected;
import com.commerceidentity.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@code X-Shopify-Hmac-Sha256} = base64(HMAC-SHA256(app secret, raw body)); the newer unprefixed
 * {@code shopify-*} header names are accepted too. De-duplicated on {@code X-Shopify-Event-Id} (Shopify's
 * current advice), falling back to {@code X-Shopify-Webhook-Id} (older deliveries lack the event id).
 */
public final class ShopifyWebhookVerifier implements WebhookVerifier {

    @Override
    public VerifiedEvent verify(StoreConfig store, Map<String, String> headers, byte[] body) {
        if (store.webhookSecret() == null) {
            throw new WebhookRejected(401, "store '" + store.id() + "' has no webhook secret (stores." + store.id()
                    + ".webhook-secret, the app's client secret)");
        }
        String given = first(headers, "X-Shopify-Hmac-Sha256", "shopify-hmac-sha256");
        if (given == null) {
            throw new WebhookRejected(401, "missing header X-Shopify-Hmac-Sha256");
        }
        String expected = Base64.getEncoder().encodeToString(
                Signatures.hmacSha256(store.webhookSecret().getBytes(StandardCharsets.UTF_8), body));
        if (!Signatures.same(expected, given)) {
            throw new WebhookRejected(401, "X-Shopify-Hmac-Sha256 does not match the body");
        }
        String id = first(headers, "X-Shopify-Event-Id", "shopify-event-id");
        if (id == null) {
            id = first(headers, "X-Shopify-Webhook-Id", "shopify-webhook-id");
        }
        if (id == null) {
            throw new WebhookRejected(400, "missing header X-Shopify-Event-Id (and X-Shopify-Webhook-Id)");
        }
        String topic = first(headers, "X-Shopify-Topic", "shopify-topic");
        return new VerifiedEvent(id, topic == null ? "" : topic);
    }

    private static String first(Map<String, String> headers, String... names) {
        for (String n : names) {
            String v = headers.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
