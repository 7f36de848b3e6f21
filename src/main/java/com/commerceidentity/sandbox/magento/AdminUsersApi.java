package com.commerceidentity.sandbox.magento;

import io.vertx.ext.web.RoutingContext;

/**
 * Extension-style {@code GET /V1/users}: stock 2.4.8 has no admin-user list, so the route exists only while the
 * {@code adminUsersEndpoint} knob is on, and answers 404 like an unknown route otherwise.
 */
final class AdminUsersApi {

    private static final String ACL = "Magento_User::acl_users";

    private final MagentoSimulator sim;

    AdminUsersApi(MagentoSimulator sim) {
        this.sim = sim;
    }

    void list(RoutingContext ctx) {
        if (!sim.config.adminUsersEndpoint || MagentoRequests.website(ctx, sim.config) == null) {
            sim.notFound(ctx);
            return;
        }
        if (!sim.tokens.authorized(ctx, ACL)) {
            return;
        }
        SearchCriteria criteria = MagentoRequests.criteria(sim, ctx, false);
        if (criteria == null) {
            return;
        }
        sim.json(ctx, 200, criteria.apply(sim.store.admins()));
    }
}
