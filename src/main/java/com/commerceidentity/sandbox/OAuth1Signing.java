package com.commerceidentity.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The OAuth 1.0a pieces the simulators of PHP platforms share (WooCommerce, Magento): PHP's {@code rawurlencode} and
 * {@code rawurldecode}, and the HMAC of a base string. How each platform collects, sorts and joins the parameters
 * differs (WooCommerce encodes each pair twice, Magento does not), so that stays in each simulator.
 */
public final class OAuth1Signing {

    private OAuth1Signing() {
    }

    /** PHP rawurlencode (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay). */
    public static String rawurlencode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** PHP rawurldecode: {@code %XX} becomes the byte, a {@code +} stays a plus, a stray {@code %} stays. */
    public static String rawurldecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0 && Character.digit(in[i + 2], 16) >= 0) {
                out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** base64 HMAC-SHA1 or HMAC-SHA256 of {@code baseString} with {@code key}; null for any other method. */
    public static String sign(String signatureMethod, String baseString, String key) {
        String algorithm = switch (signatureMethod) {
            case "HMAC-SHA1" -> "HmacSHA1";
            case "HMAC-SHA256" -> "HmacSHA256";
            default -> null;
        };
        if (algorithm == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean constantTimeEquals(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
