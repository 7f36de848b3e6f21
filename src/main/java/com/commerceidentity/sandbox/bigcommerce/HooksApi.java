package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /stores/{hash}/v3/hooks} and {@code /hooks/{id}} per webhooks.v3.yml. */
final class HooksApi {

    private final BigCommerceSimulator sim;

    HooksApi(BigCommerceSimulator sim) {
        this.sim = sim;
    }

    void list(RoutingContext ctx) {
        MultiMap params = ctx.queryParams();
        int limit = intParam(params, "limit", 50);
        int page = intParam(params, "page", 1);
        List<Hook> hooks = sim.store.hooks().stream()
                .filter(h -> !params.contains("is_active") || String.valueOf(h.active()).equals(params.get("is_active")))
                .filter(h -> !params.contains("scope") || h.scope().equals(params.get("scope")))
                .filter(h -> !params.contains("destination") || h.destination().equals(params.get("destination")))
                .toList();
        int total = hooks.size();
        int from = Math.min(total, (page - 1) * limit);
        List<Hook> slice = hooks.subList(from, Math.min(total, from + limit));
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        slice.forEach(h -> data.add(h.toJson()));
        body.putObject("meta").set("pagination", OffsetPagination.of(total, slice.size(), limit, page, ""));
        sim.json(ctx, 200, body);
    }

    void get(RoutingContext ctx) {
        sim.json(ctx, 200, single(find(ctx)));
    }

    void create(RoutingContext ctx) {
        JsonNode body = body(ctx);
        Map<String, String> errors = new LinkedHashMap<>();
        if (!body.path("scope").isTextual() || body.path("scope").asText().isBlank()) {
            errors.put("scope", "error.path.missing");
        }
        if (!body.path("destination").isTextual() || body.path("destination").asText().isBlank()) {
            errors.put("destination", "error.path.missing");
        }
        Map<String, String> headers = headers(body, errors);
        if (!errors.isEmpty()) {
            throw new ApiError(422, "JSON data is missing or invalid", errors);
        }
        Hook hook = sim.store.addHook(sim.config.clientId, sim.config.storeHash, body.get("scope").asText(),
                body.get("destination").asText(), headers, body.path("is_active").asBoolean(true));
        sim.json(ctx, 200, single(hook));
    }

    void update(RoutingContext ctx) {
        Hook hook = find(ctx);
        JsonNode body = body(ctx);
        if (!body.has("scope") && !body.has("destination") && !body.has("is_active") && !body.has("headers")) {
            throw new ApiError(422, "JSON data is missing or invalid", Map.of("body", "At least one field is required"));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, String> headers = body.has("headers") ? headers(body, errors) : hook.headers();
        if (!errors.isEmpty()) {
            throw new ApiError(422, "JSON data is missing or invalid", errors);
        }
        Hook updated = new Hook(hook.id(), hook.clientId(), hook.storeHash(), body.path("scope").asText(hook.scope()),
                body.path("destination").asText(hook.destination()), headers,
                body.has("is_active") ? body.get("is_active").asBoolean() : hook.active(), hook.createdAt(),
                java.time.Instant.now().getEpochSecond());
        sim.store.putHook(updated);
        sim.json(ctx, 200, single(updated));
    }

    void delete(RoutingContext ctx) {
        Hook hook = find(ctx);
        sim.store.removeHook(hook.id());
        sim.json(ctx, 200, single(hook));
    }

    private Hook find(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        try {
            return sim.store.hook(Integer.parseInt(raw)).orElseThrow(() -> notFound(raw));
        } catch (NumberFormatException e) {
            throw notFound(raw);
        }
    }

    private static ApiError notFound(String id) {
        return new ApiError(404, "Webhook with id [" + id + "] not found");
    }

    private static ObjectNode single(Hook hook) {
        ObjectNode body = Json.object();
        body.set("data", hook.toJson());
        body.putObject("meta");
        return body;
    }

    private static Map<String, String> headers(JsonNode body, Map<String, String> errors) {
        JsonNode node = body.path("headers");
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.put("headers", "headers must be an object of strings");
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                errors.put("headers." + e.getKey(), "must be a string");
            }
            headers.put(e.getKey(), e.getValue().asText());
        });
        return headers;
    }

    private static JsonNode body(RoutingContext ctx) {
        try {
            JsonNode body = Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
            if (body == null || !body.isObject()) {
                throw new ApiError(400, "Input is invalid.");
            }
            return body;
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "Input is invalid.");
        }
    }

    private static int intParam(MultiMap params, String name, int fallback) {
        try {
            int value = params.contains(name) ? Integer.parseInt(params.get(name)) : fallback;
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // invalid, answered below
        }
        throw new ApiError(400, "Input is invalid.", Map.of(name, "must be a positive integer"));
    }
}
