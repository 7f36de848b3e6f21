package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /stores/{hash}/v3/customers}: GET (page/limit or after/before cursors, filters, sort), POST and PUT
 * (JSON arrays of at most 10), DELETE ({@code id:in}). There is no single-customer GET in the v3 API.
 */
final class CustomersApi {

    static final int MAX_LIMIT = 250;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_BATCH = 10;
    private static final Set<String> PAGING = Set.of("page", "limit", "after", "before");

    private final BigCommerceSimulator sim;

    CustomersApi(BigCommerceSimulator sim) {
        this.sim = sim;
    }

    void list(RoutingContext ctx) {
        MultiMap params = ctx.queryParams();
        int limit = positiveInt(params, "limit", DEFAULT_LIMIT);
        limit = Math.min(limit, MAX_LIMIT);
        int page = positiveInt(params, "page", 1);
        if (params.contains("after") && params.contains("before")) {
            throw new ApiError(422, "The filter(s): after, before are invalid",
                    Map.of("after", "after and before cannot be used together"));
        }
        CustomerFilter filter = new CustomerFilter(params);
        int pageSize = limit;
        sim.offloadList(ctx, () -> {
            try {
                answer(ctx, params, filter, page, pageSize);
            } catch (ApiError e) {
                // A malformed cursor is found only after the list faults were taken, as it always was.
                sim.json(ctx, e.status, e.toJson());
            }
        });
    }

    /** Runs on a worker thread; the store's indexes are read under its lock. */
    private void answer(RoutingContext ctx, MultiMap params, CustomerFilter filter, int page, int limit) {
        if (sim.takeFault(ctx, FaultType.MOVE_RECORD)) {
            sim.store.firstId(filter).ifPresent(id -> sim.store.update(id, Json.object()));
        }
        String extra = otherParams(params);
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        ObjectNode meta = body.putObject("meta");
        boolean empty = sim.takeFault(ctx, FaultType.EMPTY_PAGE);

        if (params.contains("after") || params.contains("before")) {
            boolean forward = params.contains("after");
            BigCommerceCustomer anchor = decodeCursor(forward ? params.get("after") : params.get("before"), forward ? "after" : "before");
            CustomerIndex.CursorPage found = sim.store.cursor(filter, anchor, forward, limit);
            if (!empty) {
                found.rows().forEach(c -> data.add(c.toJson()));
            }
            meta.set("cursor_pagination", cursorMeta(found.rows(), limit, found.hasPrevious(), found.hasNext(), extra));
            sim.json(ctx, 200, body);
            return;
        }

        CustomerIndex.Page found = sim.store.page(filter, page, limit);
        List<BigCommerceCustomer> slice = found.rows();
        int total = found.total();
        if (!empty) {
            slice.forEach(c -> data.add(c.toJson()));
        }
        meta.set("pagination", OffsetPagination.of(total, slice.size(), limit, page, extra));
        if (page == 1) {
            meta.set("cursor_pagination", cursorMeta(slice, limit, false, slice.size() < total, extra));
        }
        sim.json(ctx, 200, body);
    }

    private ObjectNode cursorMeta(List<BigCommerceCustomer> slice, int limit, boolean hasPrevious, boolean hasNext, String extra) {
        ObjectNode cursor = Json.object();
        cursor.put("count", slice.size());
        cursor.put("per_page", limit);
        ObjectNode links = Json.object();
        if (!slice.isEmpty()) {
            String start = encodeCursor(slice.get(0));
            String end = encodeCursor(slice.get(slice.size() - 1));
            cursor.put("start_cursor", start);
            cursor.put("end_cursor", end);
            if (hasPrevious) {
                links.put("previous", "?limit=" + limit + "&before=" + url(start) + extra);
            }
            if (hasNext) {
                links.put("next", "?limit=" + limit + "&after=" + url(end) + extra);
            }
        }
        cursor.set("links", links);
        return cursor;
    }

    void create(RoutingContext ctx) {
        JsonNode items = batch(ctx);
        Map<String, String> errors = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            for (String required : List.of("email", "first_name", "last_name")) {
                if (!item.path(required).isTextual() || item.path(required).asText().isBlank()) {
                    errors.put(i + "." + required, "error.path.missing");
                }
            }
            String email = item.path("email").asText("");
            if (!email.isBlank() && (sim.store.emailTaken(email, -1) || !seen.add(email.toLowerCase()))) {
                errors.put(i + ".email", "The email address " + email + " is already in use.");
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiError(422, "Create customers failed.", errors);
        }
        List<BigCommerceCustomer> created = new ArrayList<>();
        items.forEach(item -> created.add(sim.store.create(item)));
        created.forEach(c -> sim.hooks.send("store/customer/created", c.id));
        sim.json(ctx, 200, collection(created));
    }

    void update(RoutingContext ctx) {
        JsonNode items = batch(ctx);
        Map<String, String> errors = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.path("id").isIntegralNumber()) {
                errors.put(i + ".id", "error.path.missing");
            } else if (sim.store.customer(item.get("id").asInt()).isEmpty()) {
                errors.put(i + ".id", "Customer with id " + item.get("id").asInt() + " not found");
            } else if (item.has("email") && sim.store.emailTaken(item.get("email").asText(), item.get("id").asInt())) {
                errors.put(i + ".email", "The email address " + item.get("email").asText() + " is already in use.");
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiError(422, "Update customers failed.", errors);
        }
        List<BigCommerceCustomer> updated = new ArrayList<>();
        items.forEach(item -> sim.store.update(item.get("id").asInt(), item).ifPresent(updated::add));
        updated.forEach(c -> sim.hooks.send("store/customer/updated", c.id));
        sim.json(ctx, 200, collection(updated));
    }

    void delete(RoutingContext ctx) {
        String ids = ctx.queryParams().get("id:in");
        if (ids == null) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        Set<Integer> parsed;
        try {
            parsed = java.util.Arrays.stream(ids.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(Integer::parseInt).collect(Collectors.toCollection(java.util.TreeSet::new));
        } catch (NumberFormatException e) {
            throw CustomerFilter.invalid("id:in");
        }
        if (parsed.isEmpty()) {
            throw CustomerFilter.invalid("id:in");
        }
        for (int id : parsed) {
            sim.store.delete(id).ifPresent(c -> sim.hooks.send("store/customer/deleted", c.id));
        }
        ctx.response().setStatusCode(204).end();
    }

    private JsonNode batch(RoutingContext ctx) {
        JsonNode body;
        try {
            body = Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "Input is invalid.");
        }
        if (body == null || !body.isArray()) {
            throw new ApiError(422, "Request body must be an array", Map.of("body", "Request body must be array"));
        }
        if (body.size() > MAX_BATCH) {
            throw new ApiError(413, "The request payload is too large. The maximum number of items allowed in the array is " + MAX_BATCH + ".");
        }
        if (body.isEmpty()) {
            throw new ApiError(422, "Request body must not be empty", Map.of("body", "Request body must contain at least one item"));
        }
        return body;
    }

    private static ObjectNode collection(List<BigCommerceCustomer> customers) {
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        customers.forEach(c -> data.add(c.toJson()));
        body.putObject("meta");
        return body;
    }

    private static int positiveInt(MultiMap params, String name, int fallback) {
        String raw = params.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered as an invalid filter below
        }
        throw CustomerFilter.invalid(name);
    }

    private static String otherParams(MultiMap params) {
        StringBuilder extra = new StringBuilder();
        for (Map.Entry<String, String> e : params.entries()) {
            if (!PAGING.contains(e.getKey())) {
                extra.append('&').append(url(e.getKey())).append('=').append(url(e.getValue()));
            }
        }
        return extra.toString();
    }

    private static String url(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String encodeCursor(BigCommerceCustomer c) {
        ObjectNode node = Json.object();
        node.put("id", c.id);
        node.put("date_created", c.dateCreated.getEpochSecond());
        node.put("date_modified", c.dateModified.getEpochSecond());
        node.put("last_name", c.lastName);
        return Base64.getEncoder().encodeToString(Json.bytes(node));
    }

    private static BigCommerceCustomer decodeCursor(String cursor, String name) {
        try {
            JsonNode node = Json.parse(Base64.getDecoder().decode(cursor));
            BigCommerceCustomer anchor = new BigCommerceCustomer(node.get("id").asInt(), Instant.ofEpochSecond(node.get("date_created").asLong()));
            anchor.dateModified = Instant.ofEpochSecond(node.get("date_modified").asLong());
            anchor.lastName = node.get("last_name").asText();
            return anchor;
        } catch (RuntimeException e) {
            throw CustomerFilter.invalid(name);
        }
    }
}
