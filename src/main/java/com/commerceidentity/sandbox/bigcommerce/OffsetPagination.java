package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code Pagination} object of BigCommerce collections: totals plus {@code links} where {@code previous}
 * appears after page 1 and {@code next} before the last page; {@code extraQuery} ("&k=v...") keeps the
 * request's other parameters in every link.
 */
final class OffsetPagination {

    private OffsetPagination() {
    }

    static ObjectNode of(int total, int count, int limit, int page, String extraQuery) {
        int totalPages = (total + limit - 1) / limit;
        ObjectNode pagination = Json.object();
        pagination.put("total", total);
        pagination.put("count", count);
        pagination.put("per_page", limit);
        pagination.put("current_page", page);
        pagination.put("total_pages", totalPages);
        ObjectNode links = pagination.putObject("links");
        if (page > 1) {
            links.put("previous", "?page=" + (page - 1) + "&limit=" + limit + extraQuery);
        }
        links.put("current", "?page=" + page + "&limit=" + limit + extraQuery);
        if (page < totalPages) {
            links.put("next", "?page=" + (page + 1) + "&limit=" + limit + extraQuery);
        }
        return pagination;
    }
}
