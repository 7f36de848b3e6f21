package com.commerceidentity.platform.woocommerce;

import com.commerceidentity.model.Kind;
import com.commerceidentity.sync.Json;
import com.commerceidentity.sync.Page;
import com.commerceidentity.sync.PageRequest;
import com.commerceidentity.sync.RecordFields;
import com.commerceidentity.sync.WalkerBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /wp-json/wc/v3/customers?role=...&page=&per_page=} (at most 100), ordered by id, with
 * {@code X-WP-Total} / {@code X-WP-TotalPages}. The list has no modified-after filter, so every run lists the
 * role in full; a record that did not change costs one look-up in the graph's batch and emits nothing (its
 * version, {@code date_modified_gmt}, equals the stored one), which is the cheapest check the API allows.
 */
final class WooCommerceCustomerPages extends WalkerBase {
    private final String role;

    WooCommerceCustomerPages(String surface, Kind kind, String role, int perPage) {
        super(surface, kind, false, Math.max(1, Math.min(100, perPage)));
        this.role = role;
    }

    @Override
    public PageRequest page(Instant since, int offset) {
        int page = offset / pageSize() + 1;
        return PageRequest.get("/wp-json/wc/v3/customers", "role=" + Json.enc(role) + "&orderby=id&order=asc&per_page="
                + pageSize() + "&page=" + page);
    }

    /**
     * Page {@code number} of the role's list by id; the API has no time filter, so the snapshot is the list as its
     * pages are read. New customers get higher ids and are listed after its last page (read once the snapshot is),
     * so the list only growing keeps the positions; see {@link #sameSnapshot}.
     */
    @Override
    public PageRequest snapshotPage(Instant since, Instant until, int number) {
        return page(null, (number - 1) * pageSize());
    }

    /**
     * A list grown since the first page still has the snapshot's records where they were (a sign-up gets the next
     * id; a user given the role in the middle only repeats one record on the next page). A shorter list means a
     * customer was deleted or lost the role and those after it moved back a position: the run then lists again
     * from the start, one page after another, and loses nothing. A deletion offset by sign-ups in the same minutes
     * leaves the count and can hide one customer from this run; the next run (every run lists in full) reads it.
     */
    @Override
    public boolean sameSnapshot(long first, long total) {
        return total >= first;
    }

    @Override
    public Page read(PageRequest request, String body, Map<String, String> headers) {
        JsonNode root = Json.page(body, "WooCommerce customers page");
        if (!root.isArray()) {
            throw new com.commerceidentity.sync.MalformedPageException("WooCommerce customers page is not a JSON array", null);
        }
        List<JsonNode> records = new java.util.ArrayList<>();
        root.forEach(records::add);
        int page = pageOf(request);
        Long totalPages = header(headers, "X-WP-TotalPages");
        Long total = header(headers, "X-WP-Total");
        boolean last = totalPages != null ? page >= totalPages : records.size() < pageSize();
        Long remaining = total == null ? null : Math.max(0, total - (long) (page - 1) * pageSize());
        return new Page(records, last ? null : page(null, page * pageSize()), remaining, last);
    }

    private static int pageOf(PageRequest request) {
        for (String part : request.query().split("&")) {
            if (part.startsWith("page=")) {
                return Integer.parseInt(part.substring(5));
            }
        }
        return 1;
    }

    private static Long header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                try {
                    return Long.parseLong(e.getValue().trim());
                } catch (NumberFormatException ignored) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Listed in full, never by time: no watermark is kept, so a bad date is the mapper's reject, not the run's end. */
    @Override
    public Instant updatedAt(JsonNode record) {
        return null;
    }

    @Override
    public String id(JsonNode record) {
        return RecordFields.id(record, "id");
    }
}
