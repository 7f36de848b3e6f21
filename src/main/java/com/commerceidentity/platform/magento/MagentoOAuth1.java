package com.commerceidentity.platform.magento;

import com.github.scribejava.core.builder.api.DefaultApi10a;
import com.github.scribejava.core.model.OAuthConstants;
import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.model.Verb;
import com.github.scribejava.core.utils.OAuthEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a signing of one Magento REST request with an integration's four credentials (Magento 2.4.4+ accepts
 * HMAC-SHA256 only). scribejava builds the request's parameter set (the query pairs plus the {@code oauth_*}
 * parameters), the signature base string and the {@code Authorization: OAuth ...} header; scribejava has no
 * HMAC-SHA256 signature service, so the HMAC is ours (a JDK {@link Mac}).
 *
 * <p>Magento decodes the query with PHP's {@code rawurldecode}: a {@code +} is a plus there, not a space. Encode every
 * query name and value with {@link #encode} (spaces as {@code %20}) and sign exactly the URL that is sent.
 */
public final class MagentoOAuth1 {

    /** The integration's credentials, as Magento's admin shows them after "Activate". */
    public record Keys(String consumerKey, String consumerSecret, String accessToken, String accessTokenSecret) {
        @Override
        public String toString() {
            return "Keys[consumerKey=" + consumerKey + ", secrets hidden]";
        }
    }

    /** What signing produced: the header to send, and the base string (for tests and diagnostics). */
    public record Signed(String authorization, String baseString, String signature) {
    }

    static final String METHOD = "HMAC-SHA256";

    /** The three endpoint methods are for the three-legged dance, which an activated integration does not need. */
    private static final DefaultApi10a API = new DefaultApi10a() {
        @Override
        public String getRequestTokenEndpoint() {
            return "";
        }

        @Override
        public String getAccessTokenEndpoint() {
            return "";
        }

        @Override
        protected String getAuthorizationBaseUrl() {
            return "";
        }
    };

    private static final SecureRandom RANDOM = new SecureRandom();

    private MagentoOAuth1() {
    }

    /** Signs {@code method url} (the full URL, query included) with a fresh nonce and the current time. */
    public static String authorization(Keys keys, String method, String url) {
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        // 32 characters: Magento's oauth_nonce column is varchar(32).
        return sign(keys, method, url, HexFormat.of().formatHex(raw), Long.toString(System.currentTimeMillis() / 1000))
                .authorization();
    }

    /** Signs with a given nonce and timestamp (the test vectors fix both). */
    public static Signed sign(Keys keys, String method, String url, String nonce, String timestamp) {
        OAuthRequest request = new OAuthRequest(Verb.valueOf(method.toUpperCase(java.util.Locale.ROOT)), url);
        request.addOAuthParameter(OAuthConstants.TIMESTAMP, timestamp);
        request.addOAuthParameter(OAuthConstants.NONCE, nonce);
        request.addOAuthParameter(OAuthConstants.CONSUMER_KEY, keys.consumerKey());
        request.addOAuthParameter(OAuthConstants.SIGN_METHOD, METHOD);
        request.addOAuthParameter(OAuthConstants.VERSION, "1.0");
        request.addOAuthParameter(OAuthConstants.TOKEN, keys.accessToken());
        String base = API.getBaseStringExtractor().extract(request);
        String signature = hmacSha256(OAuthEncoder.encode(keys.consumerSecret()) + '&'
                + OAuthEncoder.encode(keys.accessTokenSecret()), base);
        request.addOAuthParameter(OAuthConstants.SIGNATURE, signature);
        return new Signed(API.getHeaderExtractor().extract(request), base, signature);
    }

    /** RFC 3986 percent-encoding (PHP's rawurlencode): what Magento decodes query names and values with. */
    public static String encode(String text) {
        return OAuthEncoder.encode(text);
    }

    private static String hmacSha256(String key, String base) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
