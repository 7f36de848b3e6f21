package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Optional;

/**
 * {@code /wp-json/wc/v3/customers} (GET) and {@code /customers/{id}} (GET, DELETE) as WC_REST_Customers_V1_Controller
 * serves them for v3: arguments validated first (400), then the permission check (404 for an unknown id, 401/403
 * without {@code list_users} / {@code delete_users}), then the work.
 */
final class CustomersApi {

    /** woocommerce_rest_customer_allowed_roles default: only these users can be deleted (or re-mailed) here. */
    static final List<String> ALLOWED_ROLES = List.of("customer", "subscriber");

    private final WooCommerceSimulator sim;

    CustomersApi(WooCommerceSimulator sim) {
        this.sim = sim;
    }

    void list(RoutingContext ctx) {
        PhpQuery query = PhpQuery.parse(ctx.request().query());
        UserQuery q = UserQuery.parse(new WpParams(query));
        Integer user = WooCommerceSimulator.currentUser(ctx);
        if (!sim.can(user, "list_users")) {
            throw new RestError("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", RestError.authorizationRequired(user));
        }
        sim.offloadList(ctx, () -> answer(ctx, query, q));
    }

    /** Runs on a worker thread: a search or include walks the users; pages are rendered outside the store lock. */
    private void answer(RoutingContext ctx, PhpQuery query, UserQuery q) {
        if (sim.takeFault(ctx, FaultType.MOVE_RECORD)) {
            // WooCommerce has no order by modification date, so a touched user keeps its place in every order here
            sim.store.page(q).rows().stream().findFirst().ifPresent(u -> sim.records().touch("customer", String.valueOf(u.id)));
        }
        UserStore.Page page = sim.store.page(q);
        boolean empty = sim.takeFault(ctx, FaultType.EMPTY_PAGE);
        Site site = sim.site();
        ArrayNode body = Json.array();
        WpFields fields = WpFields.of(query);
        if (!empty) {
            page.rows().forEach(u -> body.add(fields == null ? u.toRest(site) : fields.apply(u.toRest(site))));
        }
        WpPaging.headers(ctx, site.api("/customers"), query, page.total(), q.perPage(), q.linkPage());
        sim.send(ctx, 200, body);
    }

    void get(RoutingContext ctx) {
        PhpQuery query = PhpQuery.parse(ctx.request().query());
        WpParams params = new WpParams(query);
        params.oneOf("context", "view", List.of("view", "edit"));
        params.check();
        WpUser target = find(ctx);
        Integer user = WooCommerceSimulator.currentUser(ctx);
        if (!sim.can(user, "list_users")) {
            throw new RestError("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", RestError.authorizationRequired(user));
        }
        WpFields fields = WpFields.of(query);
        sim.send(ctx, 200, fields == null ? target.toRest(sim.site()) : fields.apply(target.toRest(sim.site())));
    }

    void delete(RoutingContext ctx) {
        WpParams params = new WpParams(PhpQuery.parse(ctx.request().query()));
        boolean force = params.bool("force", false);
        int reassign = Math.abs(params.integer("reassign", 0, null, null));
        params.check();
        WpUser target = find(ctx);
        Integer user = WooCommerceSimulator.currentUser(ctx);
        if (!sim.canDelete(user, target)) {
            throw new RestError("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.", RestError.authorizationRequired(user));
        }
        if (!ALLOWED_ROLES.contains(target.role())) {
            throw new RestError("woocommerce_rest_cannot_delete", "Sorry, users with " + target.role()
                    + " role cannot be deleted via this endpoint. Allowed roles: " + String.join(", ", ALLOWED_ROLES),
                    RestError.authorizationRequired(user));
        }
        if (!force) {
            throw new RestError("woocommerce_rest_trash_not_supported", "Customers do not support trashing.", 501);
        }
        if (reassign != 0 && (reassign == target.id || sim.store.get(reassign).isEmpty())) {
            throw new RestError("woocommerce_rest_customer_invalid_reassign", "Invalid resource id for reassignment.", 400);
        }
        // the answer is the user as it was, rendered before wp_delete_user()
        var rendered = target.toRest(sim.site());
        sim.deleteUser(target.id);
        sim.send(ctx, 200, rendered);
    }

    private WpUser find(RoutingContext ctx) {
        Optional<WpUser> found;
        try {
            found = sim.store.get(Integer.parseInt(ctx.pathParam("id")));
        } catch (NumberFormatException e) {
            found = Optional.empty();
        }
        return found.orElseThrow(RestError::invalidUserId);
    }
}
