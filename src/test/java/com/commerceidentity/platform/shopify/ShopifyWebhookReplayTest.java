package com.commerceidentity.platform.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.Signatures;
import com.commerceidentity.webhook.WebhookRejected;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Shopify signs the body only: a captured delivery re-sent under another topic, a new event id or long after,
 * still carries a valid HMAC. What the body cannot be is refused at once, with the reason.
 */
class ShopifyWebhookReplayTest {
    private static final String SECRET = "shpss_app_secret";
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final String UPDATE = """
            {"id":7064055069303700841,"email":"ada@example.com","first_name":"Ada","last_name":"Lovelace",\
            "state":"enabled","created_at":"2026-01-01T10:00:00Z","updated_at":"2026-12-02T11:59:00Z"}""";
    private static final String DELETE = """
            {"id":7064055069303700841,"phone":null,"addresses":[],"tax_exemptions":[],\
            "admin_graphql_api_id":"gid://shopify/Customer/7064055069303700841"}""";
    private static final String REDACT = """
            {"shop_id":954889,"shop_domain":"s1.myshopify.com","customer":{"id":7064055069303700841,\
            "email":"ada@example.com","phone":null},"orders_to_redact":[]}""";

    private final ShopifyWebhookVerifier verifier = new ShopifyWebhookVerifier(Clock.fixed(NOW, ZoneOffset.UTC));

    private static StoreConfig store(Map<String, String> settings) {
        return new StoreConfig("s1", Platform.of("shopify"), "https://s1.myshopify.com", null, null, null, null, SECRET,
                false, settings);
    }

    private static Map<String, String> signed(String topic, String body, Instant triggeredAt) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("X-Shopify-Hmac-Sha256", Base64.getEncoder().encodeToString(Signatures.hmacSha256(
                SECRET.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8))));
        h.put("X-Shopify-Topic", topic);
        h.put("X-Shopify-Event-Id", "evt-" + topic.hashCode());
        if (triggeredAt != null) {
            h.put("X-Shopify-Triggered-At", triggeredAt.toString());
        }
        return h;
    }

    private void verify(String topic, String body, Instant triggeredAt, Map<String, String> settings) {
        verifier.verify(store(settings), signed(topic, body, triggeredAt), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachTopicAcceptsABodyOfItsOwnShape() {
        verify("customers/update", UPDATE, NOW, Map.of());
        verify("customers/create", UPDATE, NOW, Map.of());
        verify("customers/delete", DELETE, NOW, Map.of());
        verify("customers/redact", REDACT, NOW, Map.of());
    }

    @Test
    void aSignedCustomerUpdateReSentAsADeletionOrAnErasureIsRefused() {
        assertThatThrownBy(() -> verify("customers/delete", UPDATE, NOW, Map.of()))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("does not fit topic customers/delete")
                .satisfies(e -> assertThat(((WebhookRejected) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> verify("customers/redact", UPDATE, NOW, Map.of()))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("does not fit topic customers/redact");
        assertThatThrownBy(() -> verify("customers/update", DELETE, NOW, Map.of()))
                .as("a deletion re-sent as an update would wipe the account's fields")
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("does not fit topic customers/update");
    }

    @Test
    void aSignedBodyThatIsNotJsonIsRefusedAtOnce() {
        assertThatThrownBy(() -> verify("customers/update", "id=1&email=x", NOW, Map.of()))
                .isInstanceOf(WebhookRejected.class).hasMessage("body is not JSON")
                .satisfies(e -> assertThat(((WebhookRejected) e).status()).isEqualTo(400));
    }

    @Test
    void aDeliveryTriggeredLongerAgoThanTheWindowIsRefused() {
        verify("customers/update", UPDATE, NOW.minus(Duration.ofHours(4)), Map.of());
        assertThatThrownBy(() -> verify("customers/update", UPDATE, NOW.minus(Duration.ofHours(7)), Map.of()))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("webhook-max-age-minutes")
                .satisfies(e -> assertThat(((WebhookRejected) e).status()).isEqualTo(401));
        assertThatThrownBy(() -> verify("customers/update", UPDATE, NOW.minus(Duration.ofHours(1)),
                Map.of("webhook-max-age-minutes", "30"))).isInstanceOf(WebhookRejected.class);
        assertThatThrownBy(() -> verify("customers/update", UPDATE, NOW.plus(Duration.ofHours(1)), Map.of()))
                .as("a trigger time in the future").isInstanceOf(WebhookRejected.class);
    }
}
