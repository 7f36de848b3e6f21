package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /V1/customers/search} with Magento's searchCriteria and {@code GET /V1/customers/{id}}, both limited to
 * the website of the request's store code ({@code all}: every website).
 */
final class CustomersApi {

    private static final String ACL = "Magento_Customer::customer";

    private final MagentoSimulator sim;

    CustomersApi(MagentoSimulator sim) {
        this.sim = sim;
    }

    void search(RoutingContext ctx) {
        Integer website = MagentoRequests.website(ctx, sim.config);
        if (website == null) {
            sim.notFound(ctx);
            return;
        }
        if (!sim.tokens.authorized(ctx, ACL)) {
            return;
        }
        SearchCriteria criteria = MagentoRequests.criteria(sim, ctx, true);
        if (criteria == null) {
            return;
        }
        sim.offloadList(ctx, () -> {
            if (sim.takeFault(ctx, FaultType.MOVE_RECORD)) {
                JsonNode first = sim.store.search(website, criteria.firstRow()).path("items").path(0);
                if (first.isObject()) {
                    sim.records().touch(RecordControl.CUSTOMER, first.get("id").asText());
                }
            }
            ObjectNode result = sim.store.search(website, criteria);
            if (sim.takeFault(ctx, FaultType.EMPTY_PAGE)) {
                result.putArray("items");
            }
            sim.json(ctx, 200, result);
        });
    }

    void get(RoutingContext ctx) {
        Integer website = MagentoRequests.website(ctx, sim.config);
        if (website == null) {
            sim.notFound(ctx);
            return;
        }
        if (!sim.tokens.authorized(ctx, ACL)) {
            return;
        }
        String idText = ctx.pathParam("id");
        ObjectNode found = idText.matches("\\d{1,18}") ? sim.store.customerIn(Long.parseLong(idText), website) : null;
        if (found == null) {
            ObjectNode body = Json.object().put("message", "No such entity with %fieldName = %fieldValue");
            body.putObject("parameters").put("fieldName", "customerId").put("fieldValue", idText);
            sim.json(ctx, 404, body);
            return;
        }
        sim.json(ctx, 200, found);
    }
}
