package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.model.Platform;
import com.commerceidentity.platform.SharedSpecs;
import com.commerceidentity.platform.bigcommerce.BigCommerceWebhookVerifier;
import com.commerceidentity.platform.magento.MagentoWebhookVerifier;
import com.commerceidentity.platform.medusa.MedusaWebhookVerifier;
import com.commerceidentity.platform.shopify.ShopifyWebhookVerifier;
import com.commerceidentity.store.StoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every platform's signature is checked on the raw bytes: the published vectors pass, tampering fails. */
class WebhookSignatureTest {

    private static StoreConfig store(Platform p, String webhookSecret, Map<String, String> settings) {
        return new StoreConfig("s1", p, "http://127.0.0.1:1", null, null, null, null, webhookSecret, false,
                com.commerceidentity.store.ShippedDefaults.storeSettings(settings));
    }

    private static Map<String, String> headers(Map<String, String> h) {
        Map<String, String> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        folded.putAll(h);
        return folded;
    }

    @Test
    void everyShopifyVectorVerifiesAndATamperedBodyDoesNot() {
        ShopifyWebhookVerifier verifier = new ShopifyWebhookVerifier(Clock.systemUTC());
        JsonNode vectors = SharedSpecs.json("shopify/webhook-hmac-vectors.json").get("vectors");
        assertThat(vectors).isNotEmpty();
        for (JsonNode v : vectors) {
            StoreConfig s = store(Platform.of("shopify"), v.get("secret").asText(), Map.of());
            byte[] body = v.get("raw_body").asText().getBytes(StandardCharsets.UTF_8);
            if (v.has("expected_valid")) {
                // the negative vector: the same JSON re-serialised without a space no longer matches
                Map<String, String> sent = headers(Map.of("X-Shopify-Hmac-Sha256", v.get("header_value_sent").asText(),
                        "X-Shopify-Webhook-Id", "w0"));
                assertThatThrownBy(() -> verifier.verify(s, sent, body)).as(v.get("name").asText())
                        .isInstanceOf(WebhookRejected.class);
                Map<String, String> right = headers(Map.of("X-Shopify-Hmac-Sha256",
                        v.get("correct_hmac_for_this_body").asText(), "X-Shopify-Webhook-Id", "w0"));
                assertThat(verifier.verify(s, right, body).dedupKey()).isEqualTo("w0");
                continue;
            }
            Map<String, String> h = headers(Map.of("x-shopify-hmac-sha256", v.get("expected_hmac_base64").asText(),
                    "X-Shopify-Webhook-Id", "w1", "X-Shopify-Topic", "app/uninstalled"));
            // the published bodies ({"foo":"bar"}) are no customer, so they travel under a topic we do not act on
            assertThat(verifier.verify(s, h, body)).as(v.get("name").asText())
                    .isEqualTo(new VerifiedEvent("w1", "app/uninstalled"));
            byte[] tampered = (v.get("raw_body").asText() + " ").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> verifier.verify(s, h, tampered)).isInstanceOf(WebhookRejected.class)
                    .hasMessageContaining("does not match");
        }
    }

    @Test
    void shopifyDeduplicatesOnTheEventIdBeforeTheWebhookId() {
        StoreConfig s = store(Platform.of("shopify"), "k", Map.of());
        byte[] body = "{\"id\":1,\"email\":\"a@b.io\"}".getBytes(StandardCharsets.UTF_8);
        String hmac = Base64.getEncoder().encodeToString(Signatures.hmacSha256("k".getBytes(StandardCharsets.UTF_8), body));
        Map<String, String> h = headers(Map.of("X-Shopify-Hmac-Sha256", hmac, "X-Shopify-Webhook-Id", "w2",
                "X-Shopify-Event-Id", "e2", "X-Shopify-Topic", "customers/create"));
        assertThat(new ShopifyWebhookVerifier(Clock.systemUTC()).verify(s, h, body).dedupKey()).isEqualTo("e2");
        assertThatThrownBy(() -> new ShopifyWebhookVerifier(Clock.systemUTC()).verify(s, headers(Map.of("X-Shopify-Webhook-Id", "w")), body))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("missing header X-Shopify-Hmac-Sha256");
    }

    @Test
    void standardWebhooksVectorsVerifyWithTheBigCommerceClientSecret() {
        JsonNode vectors = SharedSpecs.json("bigcommerce/webhook-signature-vectors.json").get("vectors");
        JsonNode own = vectors.get(1);
        long ts = own.get("webhook_timestamp").asLong();
        BigCommerceWebhookVerifier verifier = new BigCommerceWebhookVerifier(
                Clock.fixed(Instant.ofEpochSecond(ts + 10), ZoneOffset.UTC));
        StoreConfig s = store(Platform.of("bigcommerce"), null, Map.of("client-secret", own.get("client_secret").asText()));
        byte[] body = own.get("raw_body").asText().getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = headers(Map.of("webhook-id", own.get("webhook_id").asText(),
                "webhook-timestamp", Long.toString(ts), "webhook-signature", own.get("expected_webhook_signature").asText()));
        VerifiedEvent event = verifier.verify(s, h, body);
        assertThat(event.topic()).isEqualTo("store/customer/created");
        assertThat(event.dedupKey()).isEqualTo("8768ab15aa86c6d73c7e4c3efbaee072110ad1d2@1561481571");

        BigCommerceWebhookVerifier later = new BigCommerceWebhookVerifier(
                Clock.fixed(Instant.ofEpochSecond(ts + 3600), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(s, h, body)).as("a replay an hour later")
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("5 minutes");
    }

    @Test
    void withAClientSecretABigCommerceDeliveryMustBeSignedNotJustCarryTheStaticHeader() {
        BigCommerceWebhookVerifier verifier = new BigCommerceWebhookVerifier(Clock.systemUTC());
        StoreConfig s = store(Platform.of("bigcommerce"), "shared-secret", Map.of("client-secret", "cs-1"));
        byte[] body = "{\"scope\":\"store/customer/deleted\",\"hash\":\"h9\",\"created_at\":1}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(s, headers(Map.of("X-Webhook-Secret", "shared-secret")), body))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("webhook-");
        String ts = Long.toString(Instant.now().getEpochSecond());
        String signature = "v1," + Base64.getEncoder().encodeToString(Signatures.hmacSha256(
                "cs-1".getBytes(StandardCharsets.UTF_8), ("msg_1." + ts + ".").getBytes(StandardCharsets.UTF_8), body));
        assertThat(verifier.verify(s, headers(Map.of("X-Webhook-Secret", "shared-secret", "webhook-id", "msg_1",
                "webhook-timestamp", ts, "webhook-signature", signature)), body).dedupKey()).isEqualTo("h9@1");
    }

    @Test
    void theOfficialStandardWebhooksVectorReproduces() {
        JsonNode v = SharedSpecs.json("bigcommerce/webhook-signature-vectors.json").get("vectors").get(0);
        byte[] key = Base64.getDecoder().decode(v.get("secret").asText().substring("whsec_".length()));
        Map<String, String> h = headers(Map.of("webhook-id", v.get("webhook_id").asText(),
                "webhook-timestamp", v.get("webhook_timestamp").asText(),
                "webhook-signature", v.get("expected_webhook_signature").asText()));
        byte[] body = v.get("raw_body").asText().getBytes(StandardCharsets.UTF_8);
        String expected = "v1," + Base64.getEncoder().encodeToString(Signatures.hmacSha256(key,
                (v.get("webhook_id").asText() + "." + v.get("webhook_timestamp").asText() + ".")
                        .getBytes(StandardCharsets.UTF_8), body));
        assertThat(expected).isEqualTo(h.get("webhook-signature"));
    }

    @Test
    void bigCommerceChecksTheSecretCustomHeaderGivenAtRegistration() {
        BigCommerceWebhookVerifier verifier = new BigCommerceWebhookVerifier(Clock.systemUTC());
        StoreConfig s = store(Platform.of("bigcommerce"), "shared-secret", Map.of());
        byte[] body = "{\"scope\":\"store/customer/updated\",\"hash\":\"h1\",\"created_at\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(s, headers(Map.of("X-Webhook-Secret", "shared-secret")), body).dedupKey()).isEqualTo("h1@1");
        assertThatThrownBy(() -> verifier.verify(s, headers(Map.of("X-Webhook-Secret", "guess")), body))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("X-Webhook-Secret");
    }

    @Test
    void medusaVerifiesTheAgreedHexSignatureAndDeduplicatesOnTheEventId() {
        StoreConfig s = store(Platform.of("medusa"), "mws_secret", Map.of());
        byte[] body = "{\"event\":\"customer.updated\",\"data\":[{\"id\":\"cus_1\"}]}".getBytes(StandardCharsets.UTF_8);
        String sig = "sha256=" + HexFormat.of().formatHex(Signatures.hmacSha256("mws_secret".getBytes(StandardCharsets.UTF_8), body));
        Map<String, String> h = headers(Map.of("x-medusa-signature", sig, "x-medusa-event-id", "evt_1"));
        assertThat(new MedusaWebhookVerifier().verify(s, h, body)).isEqualTo(new VerifiedEvent("evt_1", "customer.updated"));
        Map<String, String> bad = headers(Map.of("x-medusa-signature", sig.replace('a', 'b'), "x-medusa-event-id", "evt_1"));
        assertThatThrownBy(() -> new MedusaWebhookVerifier().verify(s, bad, body)).isInstanceOf(WebhookRejected.class);
    }

    @Test
    void magentoVerifiesTheRsaSignatureOverTheBase64Body() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair keys = gen.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";
        byte[] body = "{\"eventName\":\"observer.customer_save_after_data_object\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.getPrivate());
        signer.update(Base64.getEncoder().encode(body));
        String sig = Base64.getEncoder().encodeToString(signer.sign());
        Map<String, String> settings = new HashMap<>(Map.of("webhook-public-key", pem));
        StoreConfig s = store(Platform.of("magento"), null, settings);
        MagentoWebhookVerifier verifier = new MagentoWebhookVerifier();
        assertThat(verifier.verify(s, headers(Map.of("x-adobe-commerce-webhook-signature", sig)), body).topic())
                .isEqualTo("observer.customer_save_after_data_object");
        byte[] tampered = "{\"eventName\":\"observer.customer_delete_commit_after\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(s, headers(Map.of("x-adobe-commerce-webhook-signature", sig)), tampered))
                .isInstanceOf(WebhookRejected.class);
    }
}
