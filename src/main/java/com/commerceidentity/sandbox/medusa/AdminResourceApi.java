package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The list and lookup routes of one admin resource: {@code /admin/customers[/{id}]} or {@code /admin/users[/{id}]},
 * which differ only in their filters, searched fields and names. Soft-deleted records are not found.
 */
final class AdminResourceApi {

    private final MedusaSimulator sim;
    private final boolean customer;
    private final Set<String> filters;
    private final List<String> searched;

    private AdminResourceApi(MedusaSimulator sim, boolean customer, Set<String> filters, List<String> searched) {
        this.sim = sim;
        this.customer = customer;
        this.filters = filters;
        this.searched = searched;
    }

    static AdminResourceApi customers(MedusaSimulator sim) {
        return new AdminResourceApi(sim, true, Set.of("id", "email", "has_account", "first_name", "last_name",
                "company_name"), List.of("email", "first_name", "last_name", "company_name", "phone"));
    }

    static AdminResourceApi users(MedusaSimulator sim) {
        return new AdminResourceApi(sim, false, Set.of("id", "email", "first_name", "last_name"),
                List.of("email", "first_name", "last_name"));
    }

    void list(RoutingContext ctx) {
        if (!sim.auth.authorized(ctx)) {
            return;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> params.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        MedusaQuery query;
        try {
            query = MedusaQuery.parse(params, filters, searched);
        } catch (MedusaQuery.Invalid e) {
            sim.json(ctx, 400, Json.object().put("type", "invalid_data").put("message", e.getMessage()));
            return;
        }
        sim.offloadList(ctx, () -> {
            if (sim.takeFault(ctx, FaultType.MOVE_RECORD)) {
                List<ObjectNode> head = sim.store.query(customer, query.head()).items();
                if (!head.isEmpty()) {
                    sim.records().touch(customer ? RecordControl.CUSTOMER : RecordControl.STAFF, head.get(0).get("id").asText());
                }
            }
            MedusaQuery.Page page = sim.store.query(customer, query);
            List<ObjectNode> items = sim.takeFault(ctx, FaultType.EMPTY_PAGE) ? List.of() : page.items();
            ObjectNode body = Json.object();
            body.putArray(customer ? "customers" : "users").addAll(items);
            body.put("count", page.count()).put("offset", query.offset).put("limit", query.limit);
            sim.json(ctx, 200, body);
        });
    }

    void one(RoutingContext ctx) {
        if (!sim.auth.authorized(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        ObjectNode found = sim.store.live(customer, id);
        if (found == null) {
            sim.json(ctx, 404, Json.object().put("type", "not_found")
                    .put("message", (customer ? "Customer" : "User") + " with id: " + id + " was not found"));
            return;
        }
        ObjectNode body = Json.object();
        body.set(customer ? "customer" : "user", found);
        sim.json(ctx, 200, body);
    }
}
