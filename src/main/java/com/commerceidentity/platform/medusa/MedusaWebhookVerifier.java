package com.commerceidentity.platform.medusa;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.Signatures;
import com.commerceidentity.webhook.VerifiedEvent;
import com.commerceidentity.webhook.WebhookRejected;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * The contract our Medusa subscriber recipe posts (docs/sandbox.md): {@code x-medusa-signature:
 * sha256=<hex HMAC-SHA256(webhook secret, raw body)>}, de-duplicated on {@code x-medusa-event-id}.
 */
public final class MedusaWebhookVerifier implements WebhookVerifier {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public VerifiedEvent verify(StoreConfig store, Map<String, String> headers, byte[] body) {
        if (store.webhookSecret() == null) {
            throw new WebhookRejected(401, "store '" + store.id() + "' has no webhook secret");
        }
        String given = Signatures.required(headers, "x-medusa-signature");
        String expected = "sha256=" + HexFormat.of().formatHex(
                Signatures.hmacSha256(store.webhookSecret().getBytes(StandardCharsets.UTF_8), body));
        if (!Signatures.same(expected, given.toLowerCase(java.util.Locale.ROOT))) {
            throw new WebhookRejected(401, "x-medusa-signature does not match the body");
        }
        String topic;
        try {
            topic = json.readTree(body).path("event").asText("");
        } catch (Exception e) {
            throw new WebhookRejected(400, "body is not JSON");
        }
        return new VerifiedEvent(Signatures.required(headers, "x-medusa-event-id"), topic);
    }
}
