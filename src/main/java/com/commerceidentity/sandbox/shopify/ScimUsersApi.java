package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * SCIM 2.0 {@code GET /scim/v2/Users} (RFC 7644 ListResponse) over the shop's staff, authenticated with
 * {@code Authorization: Bearer <scim token>}. {@code startIndex} is 1-based (values below 1 count as 1),
 * {@code count} defaults to and is capped at {@value #MAX_COUNT}; a negative count counts as 0.
 */
final class ScimUsersApi {

    static final int MAX_COUNT = 100;
    static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

    private final ShopifySimulator simulator;

    ScimUsersApi(ShopifySimulator simulator) {
        this.simulator = simulator;
    }

    void handle(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth == null || !auth.equals("Bearer " + simulator.config.scimToken)) {
            simulator.scim(ctx, 401, error(401, "Invalid or missing bearer token"));
            return;
        }
        int startIndex;
        int count;
        try {
            startIndex = Math.max(1, Integer.parseInt(ctx.queryParams().get("startIndex") == null ? "1" : ctx.queryParams().get("startIndex")));
            count = ctx.queryParams().get("count") == null ? MAX_COUNT
                    : Math.max(0, Math.min(MAX_COUNT, Integer.parseInt(ctx.queryParams().get("count"))));
        } catch (NumberFormatException e) {
            ObjectNode error = error(400, "startIndex and count must be integers");
            error.put("scimType", "invalidValue");
            simulator.scim(ctx, 400, error);
            return;
        }
        List<ShopifyStaff> all = simulator.store.staff();
        int from = Math.min(all.size(), startIndex - 1);
        int to = Math.min(all.size(), from + count);
        ObjectNode body = Json.object();
        body.putArray("schemas").add(LIST_SCHEMA);
        body.put("totalResults", all.size());
        body.put("startIndex", startIndex);
        body.put("itemsPerPage", to - from);
        ArrayNode resources = body.putArray("Resources");
        for (ShopifyStaff staff : all.subList(from, to)) {
            resources.add(user(staff));
        }
        simulator.scim(ctx, 200, body);
    }

    private ObjectNode user(ShopifyStaff staff) {
        ObjectNode user = Json.object();
        user.putArray("schemas").add(USER_SCHEMA);
        user.put("id", String.valueOf(staff.id()));
        user.put("userName", staff.email());
        ObjectNode name = user.putObject("name");
        name.put("givenName", staff.firstName());
        name.put("familyName", staff.lastName());
        user.putArray("emails").addObject().put("value", staff.email()).put("primary", true);
        user.put("active", staff.active());
        // RFC 7643 §4.1.2: the groups the user is a direct member of (read-only). Which groups a shop's
        // organisation has is not in the facts we hold; the sandbox derives one from the staff member's standing.
        String group = staff.shopOwner() ? "Administrators" : "COLLABORATOR".equals(staff.accountType())
                ? "Collaborators" : "Staff";
        user.putArray("groups").addObject().put("value", group.toLowerCase(java.util.Locale.ROOT))
                .put("display", group).put("type", "direct");
        ObjectNode meta = user.putObject("meta");
        meta.put("resourceType", "User");
        meta.put("created", DateTimeFormatter.ISO_INSTANT.format(staff.createdAt()));
        meta.put("lastModified", DateTimeFormatter.ISO_INSTANT.format(staff.updatedAt()));
        meta.put("location", simulator.baseUrl() + "/scim/v2/Users/" + staff.id());
        return user;
    }

    private static ObjectNode error(int status, String detail) {
        ObjectNode error = Json.object();
        error.putArray("schemas").add(ERROR_SCHEMA);
        error.put("status", String.valueOf(status));
        error.put("detail", detail);
        return error;
    }
}
