package com.commerceidentity.sandbox.woocommerce;

import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The paging headers WooCommerce's collection controllers set: {@code X-WP-Total}, {@code X-WP-TotalPages}, and
 * {@code rel="prev"} / {@code rel="next"} only (no first/last), joined into one {@code Link} header that replaces
 * the server's {@code rel="https://api.w.org/"} one. Link URLs are the route URL plus every query parameter of
 * the request (credentials included) with {@code page} replaced in place or appended, as add_query_arg() does.
 */
final class WpPaging {

    private WpPaging() {
    }

    static void headers(RoutingContext ctx, String routeUrl, PhpQuery query, long total, int perPage, int page) {
        long maxPages = (long) Math.ceil(total / (double) perPage);
        ctx.response().putHeader("X-WP-Total", String.valueOf(total));
        ctx.response().putHeader("X-WP-TotalPages", String.valueOf(maxPages));
        List<String> links = new ArrayList<>();
        if (page > 1) {
            long prev = Math.min(page - 1, maxPages);
            links.add("<" + withPage(routeUrl, query, prev) + ">; rel=\"prev\"");
        }
        if (maxPages > page) {
            links.add("<" + withPage(routeUrl, query, page + 1) + ">; rel=\"next\"");
        }
        if (!links.isEmpty()) {
            ctx.response().headers().set("Link", String.join(", ", links));
        }
    }

    private static String withPage(String routeUrl, PhpQuery query, long page) {
        StringBuilder url = new StringBuilder(routeUrl);
        boolean replaced = false;
        char separator = '?';
        for (String[] pair : query.raw) {
            url.append(separator);
            separator = '&';
            if ("page".equals(PhpQuery.decode(pair[0]))) {
                if (replaced) {
                    url.setLength(url.length() - 1);
                    continue;
                }
                url.append("page=").append(page);
                replaced = true;
            } else {
                url.append(pair[0]).append('=').append(pair[1]);
            }
        }
        if (!replaced) {
            url.append(separator).append("page=").append(page);
        }
        return url.toString();
    }
}
