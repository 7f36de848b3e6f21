package com.commerceidentity.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;

/**
 * Who may call the HTTP API. Called for every request by the {@code http-errors} route configuration, before
 * any route step.
 *
 * <p>With API tokens configured ({@code app.api.read-token}, {@code app.api.control-token}), a {@code GET}
 * needs either token as a bearer token and anything else (sync now, check, subscribe, re-queue) needs the
 * control token. Without tokens the API is for the local machine only: the server must be bound to loopback
 * (see {@link #configured}), the Host must be a loopback name (a DNS-rebinding page names its own host), and a
 * browser's cross-site request is refused, as is a control request with a body a cross-site form can send.
 *
 * <p>Webhook deliveries and HTTP drops carry their own credentials (the platform's signature, the drop token)
 * and are left to them: platforms cannot send our bearer token, and an export job holding the drop token
 * should not be able to read personal data.
 */
public final class ApiAccess {
    static final String REALM = "Bearer realm=\"commerce-identity-feed\"";
    /**
     * Paths that carry their own credentials: {@code /webhooks/<platform>/<store>} and {@code /drop/...}, in the
     * plain form only. The router matches a normalised path, so a raw path with dot segments or escapes
     * ({@code /webhooks/x/%2E%2E/../feed}) could name another endpoint: such a path is never exempt.
     */
    private static final Pattern OWN_CREDENTIALS = Pattern.compile(
            "/(webhooks|drop)/(?!\\.\\.?/)[A-Za-z0-9._~-]+/(?!\\.\\.?$)[A-Za-z0-9._~-]+");
    private static final Pattern LOOPBACK_HOST = Pattern.compile("(127\\.0\\.0\\.1|\\[::1]|localhost)(:\\d{1,5})?",
            Pattern.CASE_INSENSITIVE);
    /** Bodies a cross-site HTML form or a no-CORS fetch can send without asking the server first. */
    private static final Pattern FORM_TYPES = Pattern.compile(
            "\\s*(text/plain|application/x-www-form-urlencoded|multipart/form-data)\\s*(;.*)?", Pattern.CASE_INSENSITIVE);

    private final byte[] readToken;
    private final byte[] controlToken;

    private ApiAccess(String readToken, String controlToken) {
        this.readToken = bytes(readToken);
        this.controlToken = bytes(controlToken);
    }

    /**
     * @param serverHost the address the API server binds ({@code camel.server.host}); null when it is off
     * @throws IllegalStateException when the server listens beyond this machine and no API token is set
     */
    public static ApiAccess configured(Optional<String> readToken, Optional<String> controlToken, String serverHost) {
        ApiAccess access = new ApiAccess(readToken.orElse(null), controlToken.orElse(null));
        if (serverHost != null && access.open() && !isLoopbackAddress(serverHost)) {
            throw new IllegalStateException("camel.server.host=" + serverHost + " serves the API beyond this"
                    + " machine, and no API token is set: set app.api.read-token and app.api.control-token"
                    + " (environment: APP_API_READ_TOKEN, APP_API_CONTROL_TOKEN), or bind to 127.0.0.1");
        }
        return access;
    }

    static boolean isLoopbackAddress(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** True when no API token is configured: the local-machine-only mode. */
    public boolean open() {
        return readToken == null && controlToken == null;
    }

    @Handler
    public void check(Exchange exchange) {
        HttpServerRequest request = RequestHeaders.request(exchange);
        if (request == null || OWN_CREDENTIALS.matcher(request.path()).matches()) {
            return;
        }
        boolean control = request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD;
        if (open()) {
            checkLocal(exchange, control);
        } else {
            checkToken(RequestHeaders.get(exchange, "Authorization"), control);
        }
    }

    private static void checkLocal(Exchange exchange, boolean control) {
        String host = RequestHeaders.get(exchange, "Host");
        if (host == null || !LOOPBACK_HOST.matcher(host.trim()).matches()) {
            throw refused(403, "Host " + (host == null ? "(none)" : "'" + host + "'") + " is not a loopback name;"
                    + " without API tokens the API answers only http://127.0.0.1, [::1] or localhost (set"
                    + " app.api.read-token / app.api.control-token to serve other names)");
        }
        String site = RequestHeaders.get(exchange, "Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw refused(403, "cross-site request refused (Sec-Fetch-Site: " + site + ")");
        }
        String origin = RequestHeaders.get(exchange, "Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host.trim())
                && !origin.equalsIgnoreCase("https://" + host.trim())) {
            throw refused(403, "cross-site request refused (Origin " + origin + " is not this API)");
        }
        String type = RequestHeaders.get(exchange, "Content-Type");
        if (control && type != null && FORM_TYPES.matcher(type).matches()) {
            throw refused(415, "Content-Type " + type + " is not accepted on a control endpoint: it is what a"
                    + " cross-site form sends; send no body, or application/json");
        }
    }

    private void checkToken(String authorization, boolean control) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw refused(401, "this endpoint needs the " + (control ? "control" : "read or control")
                    + " token: Authorization: Bearer <token>", REALM);
        }
        byte[] given = bytes(authorization.substring(7).trim());
        // Both compared every time, in constant time: how long the answer takes says nothing about either token.
        boolean isControl = same(controlToken, given);
        boolean isRead = same(readToken, given);
        if (isControl || (isRead && !control)) {
            return;
        }
        if (isRead) {
            throw refused(403, "the read token cannot change anything: this endpoint needs the control token",
                    REALM + ", error=\"insufficient_scope\", scope=\"control\"");
        }
        throw refused(401, "wrong bearer token", REALM + ", error=\"invalid_token\"");
    }

    private static boolean same(byte[] expected, byte[] given) {
        return expected != null & MessageDigest.isEqual(expected == null ? new byte[0] : expected, given);
    }

    private static byte[] bytes(String token) {
        return token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
    }

    private static HttpProblem refused(int status, String message) {
        return new HttpProblem(status, message);
    }

    private static HttpProblem refused(int status, String message, String challenge) {
        return new HttpProblem(status, message, Map.of(), Map.of("WWW-Authenticate", challenge));
    }
}
