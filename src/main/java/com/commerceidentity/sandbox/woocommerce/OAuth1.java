package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.OAuth1Signing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one-legged OAuth 1.0a signature of WC_REST_Authentication::check_oauth_signature(): parameters sorted by
 * raw key (strcmp), key and value RFC 3986-encoded, each {@code key=value} encoded again and joined with
 * {@code %26}; base URL = home URL + request path with the scheme is_ssl() picks; HMAC key = consumer secret + '&'.
 */
final class OAuth1 {

    private OAuth1() {
    }

    /** @param params every signed parameter except oauth_signature: String values or one-level arrays. */
    static String baseString(String method, String baseUrl, Map<String, Object> params) {
        TreeMap<String, Object> sorted = new TreeMap<>(OAuth1::strcmp);
        sorted.putAll(params);
        List<String> pairs = new ArrayList<>();
        sorted.forEach((key, value) -> join(pairs, encode(key), value));
        return method.toUpperCase() + "&" + encode(baseUrl) + "&" + String.join("%26", pairs);
    }

    /** join_with_equals_sign(): nested arrays become key%5Bsub%5D, each "key=value" is encoded once more. */
    private static void join(List<String> pairs, String key, Object value) {
        if (value instanceof Map<?, ?> array) {
            array.forEach((sub, inner) -> join(pairs, key + "%5B" + sub + "%5D", inner));
        } else {
            pairs.add(encode(key + "=" + encode(String.valueOf(value))));
        }
    }

    /** HMAC-SHA1 or HMAC-SHA256, base64; null for any other method. WooCommerce's key is the consumer secret + '&'. */
    static String sign(String signatureMethod, String baseString, String consumerSecret) {
        return OAuth1Signing.sign(signatureMethod, baseString, consumerSecret + "&");
    }

    static String encode(String text) {
        return OAuth1Signing.rawurlencode(text);
    }

    /** PHP strcmp on the UTF-8 bytes. */
    private static int strcmp(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int d = (x[i] & 0xff) - (y[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return x.length - y.length;
    }
}
