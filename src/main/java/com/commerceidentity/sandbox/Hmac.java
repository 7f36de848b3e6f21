package com.commerceidentity.sandbox;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signature helpers shared by the platform simulators.
 * <ul>
 *   <li>{@link #sha256Base64(byte[], byte[])}: Shopify {@code X-Shopify-Hmac-Sha256} (key = app secret bytes,
 *       message = raw body).</li>
 *   <li>{@link #standardWebhooksSignature(byte[], String, long, byte[])}: Standard Webhooks
 *       {@code webhook-signature} value {@code v1,<base64>} over {@code id.timestamp.body}.</li>
 *   <li>{@link #standardWebhooksKey(String)}: key bytes of a {@code whsec_<base64>} secret.</li>
 * </ul>
 */
public final class Hmac {

    private Hmac() {
    }

    public static byte[] sha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Base64(byte[] key, byte[] message) {
        return Base64.getEncoder().encodeToString(sha256(key, message));
    }

    public static String sha256Base64(String key, String message) {
        return sha256Base64(key.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8));
    }

    /** Key bytes of a Standard Webhooks secret; the {@code whsec_} prefix is optional. */
    public static byte[] standardWebhooksKey(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    public static String standardWebhooksSignature(byte[] key, String messageId, long timestampSeconds, byte[] body) {
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1," + sha256Base64(key, signed);
    }

    public static String sha1Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
