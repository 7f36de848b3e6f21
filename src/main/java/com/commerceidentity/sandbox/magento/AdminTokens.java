package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /V1/integration/admin/token} (admin username and password for a bearer token that lives
 * {@code adminTokenLifetimeSeconds}; refused while {@code twoFactorAuth} is on, as Magento_TwoFactorAuth does) and
 * the check every other route makes: an OAuth 1.0a-signed integration call, a live admin token, or (only with
 * {@code integrationAsBearer}) the integration's access token as a Bearer token.
 */
final class AdminTokens {

    private final MagentoSimulator sim;
    /** Every expiry decision: tests drive it. */
    private final Clock clock;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private final OAuthRequests oauth;

    AdminTokens(MagentoSimulator sim, Clock clock) {
        this.sim = sim;
        this.clock = clock;
        this.oauth = new OAuthRequests(sim.config, clock);
    }

    void issue(RoutingContext ctx) {
        if (MagentoRequests.website(ctx, sim.config) == null) {
            sim.notFound(ctx);
            return;
        }
        JsonNode body;
        try {
            body = Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            sim.json(ctx, 400, Json.object().put("message", "Decoding error: Syntax error"));
            return;
        }
        for (String field : List.of("username", "password")) {
            if (body == null || !body.hasNonNull(field) || body.get(field).asText().isEmpty()) {
                sim.json(ctx, 400, MagentoRequests.error("\"%fieldName\" is required. Enter and try again.", "fieldName", field));
                return;
            }
        }
        boolean known = body.get("username").asText().equals(sim.config.adminUsername)
                && body.get("password").asText().equals(sim.config.adminPassword);
        if (!known) {
            sim.json(ctx, 401, Json.object().put("message", "The account sign-in was incorrect or your account is disabled "
                    + "temporarily. Please wait and try again later."));
            return;
        }
        if (sim.config.twoFactorAuth) {
            // Magento_TwoFactorAuth's plugin on createAdminAccessToken, after the credentials checked out.
            ObjectNode refused = Json.object().put("message", "Please use the 2fa provider-specific endpoints to obtain a token.");
            refused.putObject("parameters").putArray("active_providers").add("google");
            sim.json(ctx, 400, refused);
            return;
        }
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        Instant now = clock.instant();
        // Magento's cron drops expired tokens hourly; dropping them here keeps the map as small.
        tokens.values().removeIf(expires -> !now.isBefore(expires));
        tokens.put(token, now.plusMillis(sim.config.adminTokenLifetimeSeconds * 1000));
        sim.json(ctx, 200, TextNode.valueOf(token));
    }

    /** False (and Magento's 400 or 401 sent) unless the request is a valid integration call or carries a live admin token. */
    boolean authorized(RoutingContext ctx, String resource) {
        if (OAuthRequests.isOAuth(ctx)) {
            OAuthRequests.Verdict verdict = oauth.check(ctx);
            if (!verdict.ok()) {
                sim.json(ctx, verdict.status(), verdict.body());
            }
            return verdict.ok();
        }
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Instant expires = token == null ? null : tokens.get(token);
        if (expires != null && clock.instant().isBefore(expires)) {
            return true;
        }
        // With the flag off the token reader refuses integration tokens: the call runs as a guest, and the ACL
        // check answers exactly as for no credentials at all.
        if (token != null && sim.config.integrationAsBearer
                && com.commerceidentity.sandbox.OAuth1Signing.constantTimeEquals(token, sim.config.accessToken)) {
            return true;
        }
        if (expires != null) {
            tokens.remove(token);
        }
        sim.json(ctx, 401, MagentoRequests.error("The consumer isn't authorized to access %resources.", "resources", resource));
        return false;
    }
}
