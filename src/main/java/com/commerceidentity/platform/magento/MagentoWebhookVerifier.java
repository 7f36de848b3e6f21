package com.commerceidentity.platform.magento;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.Signatures;
import com.commerceidentity.webhook.VerifiedEvent;
import com.commerceidentity.webhook.WebhookRejected;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Adobe Commerce webhooks: {@code x-adobe-commerce-webhook-signature} = base64(RSA-SHA256(private key,
 * base64(raw body))), checked with the public key shown after "Regenerate key pair"
 * ({@code stores.<id>.webhook-public-key}, PEM). The platform's docs call it an HMAC but verify it with a
 * public key; we follow the samples. Adobe sends no event id, so a delivery is identified by its event name
 * and a digest of its body: a byte-identical redelivery is a duplicate.
 */
public final class MagentoWebhookVerifier implements WebhookVerifier {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public VerifiedEvent verify(StoreConfig store, Map<String, String> headers, byte[] body) {
        String pem = store.settings().get("webhook-public-key");
        if (pem == null) {
            throw new WebhookRejected(401, "store '" + store.id() + "' has no stores." + store.id()
                    + ".webhook-public-key");
        }
        String given = Signatures.required(headers, "x-adobe-commerce-webhook-signature");
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey(pem));
            rsa.update(Base64.getEncoder().encode(body));
            if (!rsa.verify(Base64.getDecoder().decode(given))) {
                throw new WebhookRejected(401, "x-adobe-commerce-webhook-signature does not match the body");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new WebhookRejected(401, "x-adobe-commerce-webhook-signature cannot be checked: " + e.getMessage());
        }
        String topic;
        try {
            JsonNode payload = json.readTree(body);
            topic = payload.path("eventName").asText(payload.path("event").asText(""));
        } catch (Exception e) {
            throw new WebhookRejected(400, "body is not JSON");
        }
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            return new VerifiedEvent(topic + "@" + digest, topic);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                .decode(base64.getBytes(StandardCharsets.US_ASCII))));
    }
}
