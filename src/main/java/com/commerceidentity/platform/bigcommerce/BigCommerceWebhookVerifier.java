package com.commerceidentity.platform.bigcommerce;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.Signatures;
import com.commerceidentity.webhook.VerifiedEvent;
import com.commerceidentity.webhook.WebhookRejected;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * BigCommerce sends back the custom headers given at registration: ours carry the store's webhook secret in
 * {@code stores.<id>.webhook-header} (default {@code X-Webhook-Secret}). Once the app's client secret is
 * configured ({@code stores.<id>.client-secret}), a Standard Webhooks signature ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}) is required as well, within 5 minutes of its timestamp. De-duplicated on the payload's {@code hash} + {@code created_at}.
 */
public final class BigCommerceWebhookVerifier implements WebhookVerifier {
    private static final long TOLERANCE_SECONDS = 300;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;

    public BigCommerceWebhookVerifier(Clock clock) {
        this.clock = clock;
    }

    @Override
    public VerifiedEvent verify(StoreConfig store, Map<String, String> headers, byte[] body) {
        String clientSecret = store.settings().get("client-secret");
        if (store.webhookSecret() == null && clientSecret == null) {
            throw new WebhookRejected(401, "store '" + store.id() + "' has neither a webhook secret nor a client secret");
        }
        if (store.webhookSecret() != null) {
            String header = store.setting("webhook-header");
            if (!Signatures.same(store.webhookSecret(), headers.get(header))) {
                throw new WebhookRejected(401, "missing or wrong " + header);
            }
        }
        // The static header proves only that the sender once saw our registration; with the client secret at hand
        // the signed, timestamped delivery is required, so a captured one cannot be replayed later.
        if (clientSecret != null) {
            checkAge(headers);
            verifyStandardWebhooks(clientSecret.getBytes(StandardCharsets.UTF_8), headers, body);
        }
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (Exception e) {
            throw new WebhookRejected(400, "body is not JSON");
        }
        String hash = payload.path("hash").asText("");
        String created = payload.path("created_at").asText("");
        if (hash.isEmpty() || created.isEmpty()) {
            throw new WebhookRejected(400, "payload has no hash/created_at to identify the event");
        }
        return new VerifiedEvent(hash + "@" + created, payload.path("scope").asText(""));
    }

    /** Standard Webhooks: v1,base64(HMAC-SHA256(key, id.timestamp.body)); several signatures may be listed. */
    static void verifyStandardWebhooks(byte[] key, Map<String, String> headers, byte[] body) {
        String id = Signatures.required(headers, "webhook-id");
        String timestamp = Signatures.required(headers, "webhook-timestamp");
        String signatures = Signatures.required(headers, "webhook-signature");
        String expected = "v1," + Base64.getEncoder().encodeToString(Signatures.hmacSha256(key,
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
        boolean match = false;
        for (String s : signatures.split(" ")) {
            match |= Signatures.same(expected, s);
        }
        if (!match) {
            throw new WebhookRejected(401, "webhook-signature does not match the body");
        }
    }

    /** Also rejects replays of an old, validly signed delivery. */
    void checkAge(Map<String, String> headers) {
        long ts;
        try {
            ts = Long.parseLong(Signatures.required(headers, "webhook-timestamp"));
        } catch (NumberFormatException e) {
            throw new WebhookRejected(401, "webhook-timestamp is not a number");
        }
        if (Math.abs(clock.instant().getEpochSecond() - ts) > TOLERANCE_SECONDS) {
            throw new WebhookRejected(401, "webhook-timestamp is more than 5 minutes away from now");
        }
    }
}
