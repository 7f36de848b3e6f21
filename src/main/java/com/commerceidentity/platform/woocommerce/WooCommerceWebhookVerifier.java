package com.commerceidentity.platform.woocommerce;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.Signatures;
import com.commerceidentity.webhook.VerifiedEvent;
import com.commerceidentity.webhook.WebhookRejected;
import com.commerceidentity.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code X-WC-Webhook-Signature} = base64(HMAC-SHA256(webhook secret, raw body)). De-duplicated on the webhook
 * id, the topic and a hash of the body: WooCommerce's {@code X-WC-Webhook-Delivery-ID} repeats for deliveries of
 * one webhook within the same second, and a payload is rendered at delivery time, so two deliveries with the same
 * body say the same thing.
 */
final class WooCommerceWebhookVerifier implements WebhookVerifier {

    @Override
    public VerifiedEvent verify(StoreConfig store, Map<String, String> headers, byte[] body) {
        if (store.webhookSecret() == null) {
            throw new WebhookRejected(401, "store '" + store.id() + "' has no webhook secret (stores." + store.id()
                    + ".webhook-secret, the secret given when the webhook was created)");
        }
        String given = headers.get("X-WC-Webhook-Signature");
        if (given == null || given.isBlank()) {
            throw new WebhookRejected(401, "missing header X-WC-Webhook-Signature");
        }
        byte[] mac = Signatures.hmacSha256(store.webhookSecret().getBytes(StandardCharsets.UTF_8), body);
        if (!Signatures.same(Base64.getEncoder().encodeToString(mac), given.trim())) {
            throw new WebhookRejected(401, "X-WC-Webhook-Signature does not match the body");
        }
        String topic = headers.getOrDefault("X-WC-Webhook-Topic", "").trim();
        String webhookId = headers.getOrDefault("X-WC-Webhook-ID", "").trim();
        return new VerifiedEvent(webhookId + "/" + topic + "/" + HexFormat.of().formatHex(mac), topic);
    }
}
