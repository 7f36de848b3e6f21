package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every Magento REST handler reads from a request (store code, searchCriteria), and Magento's error body. */
final class MagentoRequests {

    private MagentoRequests() {
    }

    /** Website of the request's store code (none means {@code default}, {@code all} is 0); null when the code is unknown. */
    static Integer website(RoutingContext ctx, MagentoConfig config) {
        String code = ctx.pathParam("store");
        if (code == null) {
            code = "default";
        }
        return config.website(code);
    }

    /** The request's searchCriteria, or null once a 400 with Magento's message has been sent. */
    static SearchCriteria criteria(MagentoSimulator sim, RoutingContext ctx, boolean required) {
        try {
            return SearchCriteria.parse(params(ctx), required, sim.config.maxPageSize);
        } catch (SearchCriteria.Invalid e) {
            sim.json(ctx, 400, e.body);
            return null;
        }
    }

    private static Map<String, List<String>> params(RoutingContext ctx) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> params.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return params;
    }

    /** Magento's message template with its one parameter, which clients substitute themselves. */
    static ObjectNode error(String template, String parameter, String value) {
        ObjectNode body = Json.object().put("message", template);
        body.putObject("parameters").put(parameter, value);
        return body;
    }
}
