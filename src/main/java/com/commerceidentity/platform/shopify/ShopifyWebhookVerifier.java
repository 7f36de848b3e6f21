package com.commerceidentity.platform.shopify;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.Signatures;
import com.commerceidentity.webhook.VerifiedEvent;
import com.commerceidentity.webhook.WebhookRejected;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.Base64;
import java.util.Map;

/**
 * {@code X-Shopify-Hmac-Sha256} = base64(HMAC-SHA256(app secret, raw body)); the newer unprefixed
 * {@code shopify-*} header names are accepted too. De-duplicated on {@code X-Shopify-Event-Id} (Shopify's
 * current advice), falling back to {@code X-Shopify-Webhook-Id} (older deliveries lack the event id).
 *
 * <p>The signature covers the body only, not the topic, the event id or the time: a captured
 * {@code customers/update} re-sent as {@code customers/delete} under a new event id verified. So the body must
 * have the shape of its topic (a deletion carries no personal data, a redact request names its customer), and
 * a delivery triggered longer ago than {@code stores.<id>.webhook-max-age-minutes} is refused.
 */
public final class ShopifyWebhookVerifier implements WebhookVerifier {
    /** Shopify retries a failed delivery 8 times over 4 hours, each with the first attempt's trigger time. */
    static final long DEFAULT_MAX_AGE_MINUTES = 360;
    /** Clocks drift: a trigger time this far ahead of ours is still now. */
    private static final Duration AHEAD = Duration.ofMinutes(5);
    private static final Set<String> RECORD_TOPICS = Set.of("customers/create", "customers/update",
            "customers/enable", "customers/disable");
    private static final Set<String> REQUEST_TOPICS = Set.of("customers/redact", "customers/data_request");
    /** Fields of a customer record: a deletion names its customer's id and carries none of them. */
    private static final List<String> RECORD_FIELDS = List.of("email", "first_name", "last_name", "created_at",
            "updated_at", "state");
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;

    public ShopifyWebhookVerifier(Clock clock) {
        this.clock = clock;
    }

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
        checkFresh(store, first(headers, "X-Shopify-Triggered-At", "shopify-triggered-at"));
        checkShape(topic == null ? "" : topic, body);
        return new VerifiedEvent(id, topic == null ? "" : topic);
    }

    private void checkFresh(StoreConfig store, String triggeredAt) {
        if (triggeredAt == null) {
            return;
        }
        Instant at;
        try {
            at = Instant.parse(triggeredAt);
        } catch (DateTimeParseException e) {
            throw new WebhookRejected(400, "X-Shopify-Triggered-At '" + triggeredAt + "' is not an ISO-8601 time");
        }
        long maxAge = Long.parseLong(store.settings().getOrDefault("webhook-max-age-minutes",
                Long.toString(DEFAULT_MAX_AGE_MINUTES)).trim());
        Instant now = clock.instant();
        if (at.isBefore(now.minus(Duration.ofMinutes(maxAge))) || at.isAfter(now.plus(AHEAD))) {
            throw new WebhookRejected(401, "X-Shopify-Triggered-At " + triggeredAt + " is not within "
                    + maxAge + " minutes of now (stores." + store.id() + ".webhook-max-age-minutes): a stale or replayed delivery");
        }
    }

    private void checkShape(String topic, byte[] body) {
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (Exception e) {
            throw new WebhookRejected(400, "body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw new WebhookRejected(400, "body is not a JSON object");
        }
        String mismatch = null;
        if (RECORD_TOPICS.contains(topic)) {
            if (!hasId(payload) || RECORD_FIELDS.stream().noneMatch(payload::hasNonNull)) {
                mismatch = "a " + topic + " body is a customer: its id and its fields";
            }
        } else if (topic.equals("customers/delete")) {
            if (!hasId(payload) || RECORD_FIELDS.stream().anyMatch(payload::hasNonNull)) {
                mismatch = "a customers/delete body names the deleted customer's id and carries no customer fields";
            }
        } else if (REQUEST_TOPICS.contains(topic)) {
            if (!hasId(payload.path("customer")) || !payload.has("shop_id")) {
                mismatch = "a " + topic + " body has shop_id and customer.id";
            }
        }
        if (mismatch != null) {
            throw new WebhookRejected(400, "body does not fit topic " + topic + ": " + mismatch);
        }
    }

    private static boolean hasId(JsonNode node) {
        JsonNode id = node.path("id");
        return id.isIntegralNumber() || (id.isTextual() && id.asText().matches("\\d{1,20}"));
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
