package com.commerceidentity.sandbox.woocommerce;

import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WC_REST_Authentication for wc/* routes (facts auth.*):
 * <ol>
 *   <li>only when is_ssl() (knob {@code https}): {@code ?consumer_key=&consumer_secret=} first, else HTTP Basic;
 *       an unknown key is no error (the request goes on unauthenticated), a wrong secret is 401
 *       "Consumer secret is invalid.";</li>
 *   <li>then, whenever no user was found, one-legged OAuth 1.0a from the query, a form body and an
 *       {@code Authorization: OAuth} header.</li>
 * </ol>
 * The OAuth attempt always runs last, so {@code auth_method} ends as "oauth1" and send_unauthorized_headers()
 * never adds its {@code WWW-Authenticate: Basic} header in current code (see the report on facts vs code).
 */
final class WooAuth {

    /** Who the request runs as; {@code userId} null = nobody. {@code key} is set when a consumer key authenticated. */
    record Result(Integer userId, ApiKey key, RestError error) {
    }

    private static final String[] OAUTH_REQUIRED = {"oauth_consumer_key", "oauth_timestamp", "oauth_nonce",
            "oauth_signature", "oauth_signature_method"};
    private static final Pattern HEADER_PARAM = Pattern.compile("(oauth_[a-z_-]*)=(:?\"([^\"]*)\"|([^,]*))");
    private static final long WINDOW_SECONDS = 15 * 60;

    private final WooCommerceSimulator sim;

    WooAuth(WooCommerceSimulator sim) {
        this.sim = sim;
    }

    Result authenticate(RoutingContext ctx) {
        RestError error = null;
        PhpQuery query = PhpQuery.parse(ctx.request().query());
        if (sim.config.https) {
            Basic basic = basic(ctx, query);
            if (basic.key() != null) {
                ApiKey key = sim.key(basic.key());
                if (key != null) {
                    if (constantTimeEquals(key.consumerSecret, basic.secret())) {
                        return new Result(key.userId, key, null);
                    }
                    error = new RestError("woocommerce_rest_authentication_error", "Consumer secret is invalid.", 401);
                }
            }
        }
        Result oauth = oauth(ctx, query);
        if (oauth != null && (oauth.error() != null || error == null)) {
            return oauth;
        }
        // a Basic failure stays set even when OAuth then finds the user: rest_authentication_errors reports it
        return new Result(null, null, error);
    }

    private record Basic(String key, String secret) {
    }

    private static Basic basic(RoutingContext ctx, PhpQuery query) {
        Object key = query.values.get("consumer_key");
        Object secret = query.values.get("consumer_secret");
        if (key instanceof String k && secret instanceof String s && !k.isEmpty() && !s.isEmpty()) {
            return new Basic(k, s);
        }
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0 && colon < decoded.length() - 1) {
                    return new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException ignored) {
                // PHP fills no PHP_AUTH_USER from a malformed header
            }
        }
        return new Basic(null, null);
    }

    /** perform_oauth_authentication(); null when the request carries no OAuth parameter at all. */
    private Result oauth(RoutingContext ctx, PhpQuery query) {
        Map<String, Object> params = new LinkedHashMap<>(query.values);
        if ("POST".equals(ctx.request().method().name())) {
            // $_POST: PHP parses only form bodies of POST requests
            ctx.request().formAttributes().forEach(e -> params.put(e.getKey(), e.getValue()));
        }
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.trim().startsWith("OAuth ")) {
            Matcher m = HEADER_PARAM.matcher(header.trim());
            while (m.find()) {
                params.put(m.group(1), PhpQuery.decode(m.group(3) != null && !m.group(3).isEmpty() ? m.group(3) : m.group(4)));
            }
        }
        StringBuilder missing = new StringBuilder();
        int missingCount = 0;
        boolean haveOne = false;
        for (String name : OAUTH_REQUIRED) {
            Object value = params.get(name);
            if (value == null || value instanceof String s && (s.isEmpty() || s.equals("0"))) {
                missing.append(missingCount++ == 0 ? "" : ", ").append(name);
            } else {
                haveOne = true;
            }
        }
        if (!haveOne) {
            return null;
        }
        if (missingCount > 0) {
            return failed(new RestError("woocommerce_rest_authentication_missing_parameter",
                    (missingCount == 1 ? "Missing OAuth parameter " : "Missing OAuth parameters ") + missing, 401));
        }
        ApiKey key = sim.key(String.valueOf(params.get("oauth_consumer_key")));
        if (key == null) {
            return failed(new RestError("woocommerce_rest_authentication_error", "Consumer key is invalid.", 401));
        }
        String provided = PhpQuery.decode(String.valueOf(params.remove("oauth_signature")).replace(' ', '+').replace("+", "%2B"));
        String method = String.valueOf(params.get("oauth_signature_method"));
        String base = OAuth1.baseString(ctx.request().method().name(), baseUrl(ctx), params);
        String expected = OAuth1.sign(method, base, key.consumerSecret);
        if (expected == null) {
            return failed(new RestError("woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.", 401));
        }
        if (!constantTimeEquals(expected, provided)) {
            return failed(new RestError("woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.", 401));
        }
        RestError replay = checkTimestampAndNonce(key, String.valueOf(params.get("oauth_timestamp")), String.valueOf(params.get("oauth_nonce")));
        return replay != null ? failed(replay) : new Result(key.userId, key, null);
    }

    private static Result failed(RestError error) {
        return new Result(null, null, error);
    }

    /** get_home_url(null, path, is_ssl() ? 'https' : 'http'): the site's own host and port, never the request's. */
    private String baseUrl(RoutingContext ctx) {
        String home = sim.site().home();
        String scheme = sim.config.https ? "https" : "http";
        String withoutScheme = home.substring(home.indexOf("://") + 3);
        return scheme + "://" + withoutScheme + ctx.request().path();
    }

    private RestError checkTimestampAndNonce(ApiKey key, String timestamp, String nonce) {
        long now = sim.clock.instant().getEpochSecond();
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return new RestError("woocommerce_rest_authentication_error", "Invalid timestamp.", 401);
        }
        if (ts < now - WINDOW_SECONDS || ts > now + WINDOW_SECONDS) {
            return new RestError("woocommerce_rest_authentication_error", "Invalid timestamp.", 401);
        }
        synchronized (key.nonces) {
            if (key.nonces.containsValue(nonce)) {
                return new RestError("woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.", 401);
            }
            key.nonces.put(ts, nonce);
            key.nonces.keySet().removeIf(t -> t < now - WINDOW_SECONDS);
        }
        return null;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
