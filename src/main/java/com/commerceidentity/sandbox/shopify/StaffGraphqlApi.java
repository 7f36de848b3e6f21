package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /admin/api/{version}/graphql.json} answering the {@code staffMembers(first:, after:)} connection.
 * No GraphQL parser: the query text is scanned for the field, its {@code first}/{@code after} arguments
 * (inline literals or {@code $variables}) and the fields selected under {@code node}. Costs come from the
 * points bucket: requested = 2 + first, actual = 2 + returned edges, the difference is refunded; when the
 * bucket lacks the requested points the answer is the THROTTLED error with {@code actualQueryCost: null}.
 */
final class StaffGraphqlApi {

    static final int MAX_FIRST = 250;
    /** shopify.dev, StaffMember object: what the scope needs besides the grant. */
    static final String REQUIRED_ALSO = "Also: The app must be a finance embedded app or installed on a Shopify Plus"
            + " or Advanced store. Contact Shopify Support to enable this scope for your app.";
    private static final Pattern STAFF = Pattern.compile("\\bstaffMembers\\s*(\\(([^)]*)\\))?");
    private static final Pattern FIRST_FIELD = Pattern.compile("\\{\\s*(\\w+)");
    private static final Set<String> NODE_FIELDS = Set.of("id", "firstName", "lastName", "name", "email", "phone",
            "active", "accountType", "isShopOwner", "locale", "exists", "initials");

    private final ShopifySimulator simulator;

    StaffGraphqlApi(ShopifySimulator simulator) {
        this.simulator = simulator;
    }

    void handle(RoutingContext ctx) {
        JsonNode request;
        try {
            request = Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            simulator.json(ctx, 400, Json.object().put("errors", "Invalid JSON in request body"));
            return;
        }
        String query = request.path("query").asText("");
        JsonNode variables = request.path("variables");
        Matcher staff = STAFF.matcher(query);
        if (!staff.find()) {
            Matcher first = FIRST_FIELD.matcher(query);
            String field = first.find() ? first.group(1) : "";
            ObjectNode body = Json.object();
            ObjectNode error = body.putArray("errors").addObject();
            error.put("message", "Field '" + field + "' doesn't exist on type 'QueryRoot'");
            error.putObject("extensions").put("code", "undefinedField").put("typeName", "QueryRoot").put("fieldName", field);
            simulator.json(ctx, 200, body);
            return;
        }
        if (!simulator.config.granted("read_users")) {
            // Shopify checks the scope before it costs anything but the query's base: HTTP 200, data null.
            simulator.graphqlPoints.tryPour(1);
            ObjectNode body = Json.object();
            ObjectNode error = body.putArray("errors").addObject();
            error.put("message", "Access denied for staffMembers field. Required access: `read_users` access scope. "
                    + REQUIRED_ALSO);
            error.putArray("path").add("staffMembers");
            error.putObject("extensions").put("code", "ACCESS_DENIED")
                    .put("documentation", "https://shopify.dev/api/usage/access-scopes")
                    .put("requiredAccess", "`read_users` access scope. " + REQUIRED_ALSO);
            body.putNull("data");
            body.putObject("extensions").set("cost", cost(1, 1));
            simulator.json(ctx, 200, body);
            return;
        }
        String args = staff.group(2) == null ? "" : staff.group(2);
        Integer first = intArgument(args, "first", variables);
        String after = stringArgument(args, "after", variables);
        LeakyBucket points = simulator.graphqlPoints;
        if (first == null) {
            points.tryPour(2);
            simulator.json(ctx, 200, error("you must provide one of first or last", 2, 2));
            return;
        }
        if (first < 0 || first > MAX_FIRST) {
            simulator.json(ctx, 200, error("The maximum number of items that can be requested for a single connection is " + MAX_FIRST, 2, null));
            return;
        }
        int requested = 2 + first;
        if (!points.tryPour(requested)) {
            ObjectNode body = Json.object();
            ObjectNode error = body.putArray("errors").addObject();
            error.put("message", "Throttled");
            error.putObject("extensions").put("code", "THROTTLED")
                    .put("documentation", "https://shopify.dev/api/usage/rate-limits");
            body.putObject("extensions").set("cost", cost(requested, null));
            simulator.json(ctx, 200, body);
            return;
        }
        List<ShopifyStaff> all = simulator.store.staff();
        int start = 0;
        if (after != null) {
            Long lastId = decodeCursor(after);
            if (lastId == null) {
                points.refund(requested - 2);
                simulator.json(ctx, 200, error("Invalid cursor for current pagination sort.", requested, 2));
                return;
            }
            while (start < all.size() && all.get(start).id() <= lastId) {
                start++;
            }
        }
        int end = Math.min(all.size(), start + first);
        int actual = 2 + (end - start);
        points.refund(requested - actual);

        Set<String> selected = nodeSelection(query);
        ObjectNode body = Json.object();
        ObjectNode connection = body.putObject("data").putObject("staffMembers");
        ArrayNode edges = connection.putArray("edges");
        ArrayNode nodes = query.contains("nodes") ? connection.putArray("nodes") : null;
        for (int i = start; i < end; i++) {
            ObjectNode node = node(all.get(i), selected);
            edges.addObject().put("cursor", cursor(all.get(i).id())).set("node", node);
            if (nodes != null) {
                nodes.add(node.deepCopy());
            }
        }
        ObjectNode pageInfo = connection.putObject("pageInfo");
        pageInfo.put("hasNextPage", end < all.size());
        pageInfo.put("hasPreviousPage", start > 0);
        pageInfo.put("startCursor", end > start ? cursor(all.get(start).id()) : null);
        pageInfo.put("endCursor", end > start ? cursor(all.get(end - 1).id()) : null);
        body.putObject("extensions").set("cost", cost(requested, actual));
        simulator.json(ctx, 200, body);
    }

    private ObjectNode error(String message, int requested, Integer actual) {
        ObjectNode body = Json.object();
        body.putArray("errors").addObject().put("message", message);
        body.putObject("extensions").set("cost", cost(requested, actual));
        return body;
    }

    private ObjectNode cost(int requested, Integer actual) {
        LeakyBucket points = simulator.graphqlPoints;
        ObjectNode cost = Json.object();
        cost.put("requestedQueryCost", requested);
        if (actual == null) {
            cost.putNull("actualQueryCost");
        } else {
            cost.put("actualQueryCost", actual);
        }
        ObjectNode throttle = cost.putObject("throttleStatus");
        throttle.put("maximumAvailable", points.capacity());
        throttle.put("currentlyAvailable", (long) Math.floor(points.available()));
        throttle.put("restoreRate", points.leakPerSecond());
        return cost;
    }

    private static ObjectNode node(ShopifyStaff s, Set<String> selected) {
        ObjectNode node = Json.object();
        for (String field : selected) {
            switch (field) {
                case "id" -> node.put("id", s.gid());
                case "firstName" -> node.put("firstName", s.firstName());
                case "lastName" -> node.put("lastName", s.lastName());
                case "name" -> node.put("name", s.name());
                case "email" -> node.put("email", s.email());
                case "phone" -> node.put("phone", s.phone());
                case "active" -> node.put("active", s.active());
                case "accountType" -> node.put("accountType", s.accountType());
                case "isShopOwner" -> node.put("isShopOwner", s.shopOwner());
                case "locale" -> node.put("locale", s.locale());
                case "exists" -> node.put("exists", true);
                case "initials" -> {
                    ArrayNode initials = node.putArray("initials");
                    if (s.firstName() != null && !s.firstName().isEmpty()) initials.add(s.firstName().substring(0, 1));
                    if (s.lastName() != null && !s.lastName().isEmpty()) initials.add(s.lastName().substring(0, 1));
                }
                default -> {
                }
            }
        }
        return node;
    }

    /** Fields selected directly under {@code node { ... }} (or {@code nodes}); all known fields when absent. */
    static Set<String> nodeSelection(String query) {
        Matcher m = Pattern.compile("\\bnodes?\\s*\\{").matcher(query);
        if (!m.find()) {
            return NODE_FIELDS;
        }
        Set<String> fields = new LinkedHashSet<>();
        int depth = 1;
        int i = m.end();
        StringBuilder word = new StringBuilder();
        while (i < query.length() && depth > 0) {
            char c = query.charAt(i++);
            if (Character.isLetterOrDigit(c) || c == '_') {
                word.append(c);
                continue;
            }
            if (depth == 1 && !word.isEmpty() && NODE_FIELDS.contains(word.toString())) {
                fields.add(word.toString());
            }
            word.setLength(0);
            if (c == '{') depth++;
            if (c == '}') depth--;
        }
        return fields;
    }

    private static Integer intArgument(String args, String name, JsonNode variables) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*:\\s*(\\$\\w+|-?\\d+|null)").matcher(args);
        if (!m.find() || m.group(1).equals("null")) {
            return null;
        }
        String value = m.group(1);
        if (value.startsWith("$")) {
            JsonNode v = variables.path(value.substring(1));
            return v.isIntegralNumber() ? v.asInt() : null;
        }
        return Integer.parseInt(value);
    }

    private static String stringArgument(String args, String name, JsonNode variables) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*:\\s*(\\$\\w+|\"([^\"]*)\"|null)").matcher(args);
        if (!m.find() || m.group(1).equals("null")) {
            return null;
        }
        if (m.group(1).startsWith("$")) {
            JsonNode v = variables.path(m.group(1).substring(1));
            return v.isTextual() ? v.asText() : null;
        }
        return m.group(2);
    }

    static String cursor(long staffId) {
        return Base64.getEncoder().encodeToString(("{\"last_id\":" + staffId + ",\"kind\":\"StaffMember\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Long decodeCursor(String cursor) {
        try {
            JsonNode node = Json.parse(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
            return node.path("last_id").isIntegralNumber() ? node.get("last_id").asLong() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
