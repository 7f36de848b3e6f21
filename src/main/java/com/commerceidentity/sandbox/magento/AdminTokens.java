package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code adminTokenLifetimeSeconds}) and the bearer check every other route makes.
 */
final class AdminTokens {

    private final MagentoSimulator sim;
    /** Every expiry decision: tests drive it. */
    private final Clock clock;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    AdminTokens(MagentoSimulator sim, Clock clock) {
        this.sim = sim;
        this.clock = clock;
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
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        Instant now = clock.instant();
        // Magento's cron drops expired tokens hourly; dropping them here keeps the map as small.
        tokens.values().removeIf(expires -> !now.isBefore(expires));
        tokens.put(token, now.plusMillis(sim.config.adminTokenLifetimeSeconds * 1000));
        sim.json(ctx, 200, TextNode.valueOf(token));
    }

    /** False (and a 401 sent) unless the request carries a live admin token. */
    boolean authorized(RoutingContext ctx, String resource) {
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Instant expires = token == null ? null : tokens.get(token);
        if (expires != null && clock.instant().isBefore(expires)) {
            return true;
        }
        if (expires != null) {
            tokens.remove(token);
        }
        sim.json(ctx, 401, MagentoRequests.error("The consumer isn't authorized to access %resources.", "resources", resource));
        return false;
    }
}
