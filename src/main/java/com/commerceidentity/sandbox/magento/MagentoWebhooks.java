package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adobe Commerce webhooks for customer saves and deletes, signed with the store's RSA key pair, to the
 * {@code webhookUrl} knob.
 */
final class MagentoWebhooks {

    private final MagentoSimulator sim;
    private volatile KeyPair keys = newKeyPair();

    MagentoWebhooks(MagentoSimulator sim) {
        this.sim = sim;
    }

    /**
     * Adobe Commerce webhook: {@code {"eventName": ..., "data": {...}}}, signed as the Adobe docs' samples verify
     * it: base64 of an RSA-SHA256 signature, by the private key, over the base64 of the raw body.
     */
    void deliver(String event, ObjectNode customer, ObjectNode previous) {
        String url = sim.config.webhookUrl;
        if (url == null) {
            return;
        }
        ObjectNode body = Json.object().put("eventName", event);
        ObjectNode data = body.putObject("data");
        if (event.equals(MagentoSimulator.SAVE_EVENT)) {
            data.set("customer_data_object", customer);
            data.set("orig_customer_data_object", previous);
        } else {
            data.set("data_object", customer);
        }
        byte[] bytes = Json.bytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(MagentoSimulator.SIGNATURE_HEADER, sign(bytes));
        sim.webhooks().send(new WebhookDispatcher.Delivery(url, headers, bytes));
    }

    String sign(byte[] body) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(Base64.getEncoder().encode(body));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half of the signing key, as Magento's admin shows it for verifiers. */
    String publicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----";
    }

    PublicKey publicKey() {
        return keys.getPublic();
    }

    /** A new pair at once: the old public key stops verifying, as in Magento. */
    void regenerateKeyPair() {
        keys = newKeyPair();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
