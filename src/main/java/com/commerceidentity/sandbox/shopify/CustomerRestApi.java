package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * REST Admin customer endpoints: list with cursor paging ({@code Link} header), count, search, single GET.
 * Auth and the leaky bucket are applied by {@link ShopifySimulator} before these handlers.
 */
final class CustomerRestApi {

    static final int MAX_LIMIT = 250;
    static final int DEFAULT_LIMIT = 50;
    private static final Set<String> PAGE_INFO_COMPANIONS = Set.of("page_info", "limit", "fields");
    private static final String VERSION = "/admin/api/([0-9]{4}-[0-9]{2}|unstable)";

    private final ShopifySimulator simulator;

    CustomerRestApi(ShopifySimulator simulator) {
        this.simulator = simulator;
    }

    void mount(Router router) {
        router.getWithRegex(VERSION + "/customers\\.json").handler(BadRequest.answered(simulator, this::list));
        router.getWithRegex(VERSION + "/customers/count\\.json").handler(BadRequest.answered(simulator, this::count));
        router.getWithRegex(VERSION + "/customers/search\\.json").handler(BadRequest.answered(simulator, this::search));
        router.getWithRegex(VERSION + "/customers/([0-9]+)\\.json").handler(BadRequest.answered(simulator, this::single));
    }


    private void list(RoutingContext ctx) {
        MultiMap params = ctx.queryParams();
        int limit = limit(params);
        List<String> fields = fields(params);
        String pageInfo = params.get("page_info");
        CustomerQuery query;
        PageCursor cursor = null;
        if (pageInfo != null) {
            for (String name : params.names()) {
                if (!PAGE_INFO_COMPANIONS.contains(name)) {
                    throw new BadRequest(name, name + " cannot be passed when page_info is present. "
                            + "See https://shopify.dev/api/usage/pagination-rest for more information.");
                }
            }
            try {
                cursor = PageCursor.decode(pageInfo);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("page_info", "Invalid value.");
            }
            query = new CustomerQuery(cursor.filters(), cursor.order(), simulator.config.timezone);
        } else {
            query = new CustomerQuery(filters(params), params.get("order"), simulator.config.timezone);
        }

        if (simulator.takeFault(ctx, FaultType.MOVE_RECORD)) {
            slice(query, null, true, 1).page().stream().findFirst().ifPresent(first -> simulator.store.touch(first.id));
        }

        boolean next = cursor == null || cursor.next();
        Slice slice = slice(query, cursor, next, limit);
        List<ShopifyCustomer> page = slice.page();
        boolean hasBefore = next ? cursor != null && slice.otherSide() : slice.more();
        boolean hasAfter = next ? slice.more() : slice.otherSide();

        List<String> links = new ArrayList<>();
        if (hasBefore && !page.isEmpty()) {
            links.add(link(ctx, query, page.get(0), false, limit, fields, "previous"));
        }
        if (hasAfter && !page.isEmpty()) {
            links.add(link(ctx, query, page.get(page.size() - 1), true, limit, fields, "next"));
        }
        if (!links.isEmpty()) {
            ctx.response().putHeader("Link", String.join(", ", links));
        }
        List<ShopifyCustomer> shown = simulator.takeFault(ctx, FaultType.EMPTY_PAGE) ? List.of() : page;
        simulator.json(ctx, 200, customers(shown, fields));
    }

    /**
     * The page on one side of a cursor position ({@code next}: after it, else before it), in the query's order:
     * the {@code limit} matching customers nearest the position, whether more match beyond them, and whether any
     * match on the other side (the position's own customer included). Read from the position on in the shop's
     * index of that order, stopping where the filter's range ends.
     */
    private Slice slice(CustomerQuery query, PageCursor position, boolean next, int limit) {
        // the order field ascending when paging on in an ascending order, or back in a descending one
        boolean forward = next == query.ascending();
        long[] at = position == null ? null : new long[] {Long.parseLong(position.lastValue()), position.lastId()};
        List<ShopifyCustomer> found = new ArrayList<>(limit + 1);
        simulator.store.walk(query.orderField(), forward, at != null ? at : query.start(forward), at == null, c -> {
            if (query.beyond(c, forward)) {
                return false;
            }
            if (query.matches(c)) {
                found.add(c);
            }
            return found.size() <= limit;
        });
        boolean[] otherSide = {false};
        if (at != null) {
            simulator.store.walk(query.orderField(), !forward, at, true, c -> {
                if (query.beyond(c, !forward)) {
                    return false;
                }
                otherSide[0] = query.matches(c);
                return !otherSide[0];
            });
        }
        List<ShopifyCustomer> page = new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
        if (!next) {
            java.util.Collections.reverse(page);
        }
        return new Slice(page, found.size() > limit, otherSide[0]);
    }

    private record Slice(List<ShopifyCustomer> page, boolean more, boolean otherSide) {
    }

    private String link(RoutingContext ctx, CustomerQuery query, ShopifyCustomer at, boolean next, int limit,
                        List<String> fields, String rel) {
        String cursor = new PageCursor(query.rawFilters, query.order, at.id, String.valueOf(query.sortValue(at)), next).encode();
        StringBuilder url = new StringBuilder(simulator.baseUrl()).append(ctx.request().path())
                .append("?page_info=").append(cursor).append("&limit=").append(limit);
        if (fields != null) {
            url.append("&fields=").append(URLEncoder.encode(String.join(",", fields), StandardCharsets.UTF_8));
        }
        return "<" + url + ">; rel=\"" + rel + "\"";
    }

    private static Map<String, String> filters(MultiMap params) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : CustomerQuery.FILTERS) {
            if (params.contains(name)) {
                filters.put(name, params.get(name));
            }
        }
        return filters;
    }

    private void count(RoutingContext ctx) {
        CustomerQuery query = new CustomerQuery(filters(ctx.queryParams()), null, simulator.config.timezone);
        long[] count = {0};
        simulator.store.walk("id", true, null, true, c -> {
            if (query.matches(c)) {
                count[0]++;
            }
            return true;
        });
        simulator.json(ctx, 200, Json.object().put("count", count[0]));
    }

    private void search(RoutingContext ctx) {
        int limit = limit(ctx.queryParams());
        List<String> fields = fields(ctx.queryParams());
        CustomerSearch search = new CustomerSearch(ctx.queryParams().get("query"));
        CustomerQuery order = new CustomerQuery(Map.of(), ctx.queryParams().get("order"), simulator.config.timezone);
        List<ShopifyCustomer> found = filter(simulator.store.customers(), search::matches);
        found.sort(order.comparator());
        simulator.json(ctx, 200, customers(found.subList(0, Math.min(limit, found.size())), fields));
    }

    private void single(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("param1"));
        } catch (NumberFormatException e) {
            simulator.json(ctx, 404, Json.object().put("errors", "Not Found"));
            return;
        }
        List<String> fields = fields(ctx.queryParams());
        simulator.store.customer(id).ifPresentOrElse(
                c -> simulator.json(ctx, 200, Json.object().set("customer", render(c, fields))),
                () -> simulator.json(ctx, 404, Json.object().put("errors", "Not Found")));
    }

    private ObjectNode customers(List<ShopifyCustomer> list, List<String> fields) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("customers");
        list.forEach(c -> array.add(render(c, fields)));
        return body;
    }

    private ObjectNode render(ShopifyCustomer customer, List<String> fields) {
        ObjectNode full = customer.toJson(simulator.config.timezone, "USD");
        if (fields == null) {
            return full;
        }
        ObjectNode selected = Json.object();
        fields.stream().filter(full::has).forEach(f -> selected.set(f, full.get(f)));
        return selected;
    }

    static int limit(MultiMap params) {
        String raw = params.get("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // same answer as out of range
        }
        throw new BadRequest("limit", "Invalid value. limit must be between 1 and " + MAX_LIMIT);
    }

    static List<String> fields(MultiMap params) {
        String raw = params.get("fields");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return new ArrayList<>(new LinkedHashSet<>(Arrays.stream(raw.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList()));
    }

    private static <T> List<T> filter(List<T> list, Predicate<T> predicate) {
        List<T> out = new ArrayList<>();
        for (T t : list) {
            if (predicate.test(t)) {
                out.add(t);
            }
        }
        return out;
    }
}
