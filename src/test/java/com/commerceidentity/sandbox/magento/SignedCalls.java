package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.OAuth1Signing;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A test-side OAuth 1.0a signer for calls to the Magento simulator, written from the facts file (independent of the
 * client's scribejava-based signer; {@code SignedCallsTest} anchors it to the facts file's vectors).
 */
final class SignedCalls {

    record Keys(String consumerKey, String consumerSecret, String accessToken, String accessTokenSecret) {
        static Keys of(MagentoSimulator sim) {
            return new Keys(sim.config.consumerKey, sim.config.consumerSecret, sim.config.accessToken, sim.config.accessTokenSecret);
        }
    }

    private SignedCalls() {
    }

    static String freshNonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String now() {
        return Long.toString(System.currentTimeMillis() / 1000);
    }

    static String authorization(Keys keys, String method, String url) {
        return authorization(keys, method, url, freshNonce(), now(), "HMAC-SHA256");
    }

    static String authorization(Keys keys, String method, String url, String nonce, String timestamp, String signatureMethod) {
        Map<String, String> oauth = new TreeMap<>();
        oauth.put("oauth_consumer_key", keys.consumerKey());
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_signature_method", signatureMethod);
        oauth.put("oauth_timestamp", timestamp);
        oauth.put("oauth_token", keys.accessToken());
        oauth.put("oauth_version", "1.0");
        String signature = OAuth1Signing.sign(signatureMethod.equals("HMAC-SHA1") ? "HMAC-SHA1" : "HMAC-SHA256",
                baseString(method, url, oauth), OAuth1Signing.rawurlencode(keys.consumerSecret()) + "&"
                        + OAuth1Signing.rawurlencode(keys.accessTokenSecret()));
        oauth.put("oauth_signature", signature);
        List<String> parts = new ArrayList<>();
        oauth.forEach((k, v) -> parts.add(k + "=\"" + OAuth1Signing.rawurlencode(v) + "\""));
        return "OAuth " + String.join(", ", parts);
    }

    static String baseString(String method, String url, Map<String, String> oauth) {
        URI uri = URI.create(url);
        TreeMap<String, String> params = new TreeMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", -1);
                if (kv.length == 2) {
                    params.put(OAuth1Signing.rawurlencode(OAuth1Signing.rawurldecode(kv[0])),
                            OAuth1Signing.rawurlencode(OAuth1Signing.rawurldecode(kv[1])));
                }
            }
        }
        oauth.forEach((k, v) -> params.put(OAuth1Signing.rawurlencode(k), OAuth1Signing.rawurlencode(v)));
        List<String> joined = new ArrayList<>();
        params.forEach((k, v) -> joined.add(k + "=" + v));
        String base = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        return method + "&" + OAuth1Signing.rawurlencode(base) + "&" + OAuth1Signing.rawurlencode(String.join("&", joined));
    }
}
