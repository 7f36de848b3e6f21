package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;

/** {@code POST /auth/user/emailpass} issuing HS256 JWTs, and the credential check of every admin route. */
final class MedusaAuth {

    private final MedusaSimulator sim;
    /** Token iat/exp and expiry: tests drive it. */
    private final Clock clock;

    MedusaAuth(MedusaSimulator sim, Clock clock) {
        this.sim = sim;
        this.clock = clock;
    }

    void login(RoutingContext ctx) {
        JsonNode body;
        try {
            body = ctx.body().buffer() == null ? Json.object() : Json.parse(ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            body = Json.object();
        }
        String email = Json.text(body, "email");
        String password = Json.text(body, "password");
        String adminEmail = sim.config.adminEmail;
        String userId = adminEmail.equals(email) && sim.config.adminPassword.equals(password)
                ? sim.store.liveUserId(adminEmail) : null;
        if (userId == null) {
            sim.json(ctx, 401, Json.object().put("type", "unauthorized").put("message", "Invalid email or password"));
            return;
        }
        sim.json(ctx, 200, Json.object().put("token", jwt(userId)));
    }

    String jwt(String userId) {
        long now = clock.instant().getEpochSecond();
        ObjectNode header = Json.object().put("alg", "HS256").put("typ", "JWT");
        ObjectNode payload = Json.object().put("actor_id", userId).put("actor_type", "user")
                .put("auth_identity_id", "authid_" + userId.substring("user_".length()));
        payload.putObject("app_metadata").put("user_id", userId);
        payload.put("iat", now).put("exp", now + sim.config.jwtTtlSeconds);
        String signingInput = b64url(Json.bytes(header)) + "." + b64url(Json.bytes(payload));
        return signingInput + "." + b64url(Hmac.sha256(sim.config.jwtSecret.getBytes(StandardCharsets.UTF_8),
                signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Bearer JWT from {@code /auth/user/emailpass} (signature, expiry and actor type checked), or a secret API key
     * as Medusa v2 takes it ({@code Authorization: Basic base64(sk_...:)}), or as the 2.0 spec's {@code api_token}
     * scheme names it ({@code x-medusa-access-token}). False once a 401 has been sent.
     */
    boolean authorized(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && validJwt(auth.substring(7).trim())) {
            return true;
        }
        String apiKey = sim.config.apiKey;
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                if (constantTimeEquals(decoded, apiKey + ":")) {
                    return true;
                }
            } catch (IllegalArgumentException notBase64) {
                // falls through to 401 like any other bad credential
            }
        }
        String accessToken = ctx.request().getHeader("x-medusa-access-token");
        if (accessToken != null && constantTimeEquals(accessToken, apiKey)) {
            return true;
        }
        // The spec's 401 is text/plain "Unauthorized".
        ctx.response().setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8").end("Unauthorized");
        return false;
    }

    private boolean validJwt(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        byte[] expected = Hmac.sha256(sim.config.jwtSecret.getBytes(StandardCharsets.UTF_8),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        try {
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode header = Json.parse(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode payload = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
            return "HS256".equals(header.path("alg").asText())
                    && "user".equals(payload.path("actor_type").asText())
                    && payload.path("exp").asLong(0) > clock.instant().getEpochSecond();
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
