package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OAuth1Signing;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Magento's check of an OAuth 1.0a-signed REST call by an activated integration (oauth1-facts.json), in Magento's
 * order: version, required parameters, token length, signature method, consumer, timestamp and nonce (the nonce is
 * stored before the signature is checked, as Magento's nonce generator does), access token, signature.
 * Parameters are read the way {@code Helper\Request} reads them: {@code oauth_*} only from the
 * {@code Authorization: OAuth} header, the query split on {@code &} and {@code =} and rawurldecoded (a {@code +}
 * stays a plus, a pair that does not split in two is dropped, a repeated name keeps its last value).
 */
final class OAuthRequests {

    /** What the check decided: the integration may go on, or the status and body to answer. */
    record Verdict(int status, ObjectNode body) {
        boolean ok() {
            return status == 0;
        }
    }

    static final Verdict OK = new Verdict(0, null);
    /** The integration's consumer id, as the nonce message names it. */
    static final String CONSUMER_ID = "1";
    /** Magento accepts timestamps up to this far ahead of its clock, and any age (no lower bound). */
    static final long MAX_AHEAD_SECONDS = 600;

    private static final Pattern NAME = Pattern.compile("oauth_[a-z_-]+");
    private static final List<String> REQUIRED = List.of("oauth_consumer_key", "oauth_signature",
            "oauth_signature_method", "oauth_nonce", "oauth_timestamp", "oauth_token");

    private final MagentoConfig config;
    private final Clock clock;
    /** oauth_nonce rows of the consumer (Magento keeps them in table oauth_nonce, varchar(32)). */
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();

    OAuthRequests(MagentoConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** True when the request carries an {@code Authorization: OAuth ...} header (else it is no OAuth call at all). */
    static boolean isOAuth(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        return h != null && h.toLowerCase(java.util.Locale.ROOT).contains("oauth ");
    }

    Verdict check(RoutingContext ctx) {
        Map<String, String> oauth = headerParams(ctx.request().getHeader("Authorization"));
        String version = oauth.get("oauth_version");
        if (version != null && !version.equals("1.0")) {
            return listError(400, "The \"%1\" Oauth version isn't supported.", version);
        }
        for (String name : REQUIRED) {
            String v = oauth.get(name);
            if (v == null || v.isEmpty()) {
                return new Verdict(400, MagentoRequests.error("\"%fieldName\" is required. Enter and try again.", "fieldName", name));
            }
        }
        if (oauth.get("oauth_token").length() != 32) {
            return message(400, "The token length is invalid. Check the length and try again.");
        }
        if (!oauth.get("oauth_signature_method").equals("HMAC-SHA256")) {
            return listError(400, "Signature method %1 is not supported", oauth.get("oauth_signature_method"));
        }
        String consumerKey = oauth.get("oauth_consumer_key");
        if (consumerKey.length() != 32) {
            return message(401, "Consumer key is not the correct length");
        }
        if (!OAuth1Signing.constantTimeEquals(consumerKey, config.consumerKey)) {
            return message(401, "A consumer having the specified key does not exist");
        }
        Verdict nonce = checkNonce(oauth.get("oauth_nonce"), oauth.get("oauth_timestamp"));
        if (!nonce.ok()) {
            return nonce;
        }
        if (!OAuth1Signing.constantTimeEquals(oauth.get("oauth_token"), config.accessToken)) {
            return message(401, "Specified token does not exist");
        }
        String expected = OAuth1Signing.sign("HMAC-SHA256", baseString(ctx, oauth),
                OAuth1Signing.rawurlencode(config.consumerSecret) + "&" + OAuth1Signing.rawurlencode(config.accessTokenSecret));
        if (!OAuth1Signing.constantTimeEquals(expected, oauth.get("oauth_signature"))) {
            return message(401, "The signature is invalid. Verify and try again.");
        }
        return OK;
    }

    /**
     * Nonce generator's validateNonce: a bad or too-far-ahead timestamp is rewrapped by its catch-all into
     * "An error occurred validating the nonce"; a nonce the consumer used before is refused, whatever its age.
     */
    private Verdict checkNonce(String nonce, String timestamp) {
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            ts = -1;
        }
        if (ts <= 0 || ts > clock.instant().getEpochSecond() + MAX_AHEAD_SECONDS) {
            return message(401, "An error occurred validating the nonce");
        }
        if (!nonces.add(nonce.length() > 32 ? nonce.substring(0, 32) : nonce)) {
            return listError(401, "The nonce is already being used by the consumer with ID %1", CONSUMER_ID);
        }
        return OK;
    }

    /** METHOD & enc(scheme://host[:port]/path) & enc(sorted enc(name)=enc(value) pairs), as Hmac.php builds it. */
    static String baseString(RoutingContext ctx, Map<String, String> oauth) {
        TreeMap<String, String> params = new TreeMap<>();
        String query = ctx.request().query();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] parts = pair.split("=", -1);
                if (parts.length == 2 && !NAME.matcher(OAuth1Signing.rawurldecode(parts[0])).matches()) {
                    params.put(OAuth1Signing.rawurlencode(OAuth1Signing.rawurldecode(parts[0])),
                            OAuth1Signing.rawurlencode(OAuth1Signing.rawurldecode(parts[1])));
                }
            }
        }
        oauth.forEach((name, value) -> {
            if (!name.equals("oauth_signature")) {
                params.put(OAuth1Signing.rawurlencode(name), OAuth1Signing.rawurlencode(value));
            }
        });
        List<String> joined = new ArrayList<>();
        params.forEach((k, v) -> joined.add(k + "=" + v));
        // Magento rebuilds the URL from its own scheme, the Host header and the request path.
        String url = "http://" + ctx.request().getHeader("Host") + ctx.request().path();
        return ctx.request().method().name().toUpperCase(java.util.Locale.ROOT) + "&"
                + OAuth1Signing.rawurlencode(url) + "&" + OAuth1Signing.rawurlencode(String.join("&", joined));
    }

    /** Helper\Request::_processHeader: after "oauth ", split on ',', each item on its first '='; oauth_* names only. */
    static Map<String, String> headerParams(String header) {
        Map<String, String> out = new TreeMap<>();
        if (header == null) {
            return out;
        }
        int at = header.toLowerCase(java.util.Locale.ROOT).indexOf("oauth ");
        if (at < 0) {
            return out;
        }
        for (String item : header.substring(at + 6).split(",")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = OAuth1Signing.rawurldecode(item.substring(0, eq).trim());
            String value = item.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (NAME.matcher(name).matches()) {
                out.put(name, OAuth1Signing.rawurldecode(value));
            }
        }
        return out;
    }

    private static Verdict message(int status, String message) {
        return new Verdict(status, Json.object().put("message", message));
    }

    /** Messages with a positional %1: Magento sends {@code parameters} as a list then. */
    private static Verdict listError(int status, String template, String value) {
        ObjectNode body = Json.object().put("message", template);
        body.putArray("parameters").add(value);
        return new Verdict(status, body);
    }
}
