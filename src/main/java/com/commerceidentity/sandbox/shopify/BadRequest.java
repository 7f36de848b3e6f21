package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** A 400 answered as Shopify does: {@code {"errors":{"<param>":"<message>"}}}. */
final class BadRequest extends RuntimeException {

    final String param;

    BadRequest(String param, String message) {
        super(message);
        this.param = param;
    }

    /** The handler, with a BadRequest it throws answered as Shopify's 400. */
    static Handler<RoutingContext> answered(ShopifySimulator simulator, Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (BadRequest e) {
                ObjectNode body = Json.object();
                body.putObject("errors").put(e.param, e.getMessage());
                simulator.json(ctx, 400, body);
            }
        };
    }
}
