package com.commerceidentity.platform.bigcommerce;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.SourceTimestamps;
import com.commerceidentity.sync.Json;
import com.commerceidentity.sync.Page;
import com.commerceidentity.sync.PageRequest;
import com.commerceidentity.sync.RecordFields;
import com.commerceidentity.sync.WalkerBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v3/customers}: {@code page}/{@code limit} (at most 250) with {@code meta.pagination}, filtered by
 * {@code date_modified:min} (inclusive) and sorted {@code date_modified:asc}.
 */
public final class BigCommerceCustomerPages extends WalkerBase {
    private static final Pattern PAGE_PARAM = Pattern.compile("(?:^|[?&])page=(\\d+)");
    private final int limit;

    public BigCommerceCustomerPages(int limit) {
        super("customers", Kind.CUSTOMER, true, Math.min(250, Math.max(1, limit)));
        this.limit = pageSize();
    }

    @Override
    public PageRequest page(Instant since, int offset) {
        StringBuilder q = new StringBuilder("limit=").append(limit).append("&page=").append(offset / limit + 1)
                .append("&sort=").append(Json.enc("date_modified:asc"));
        if (since != null) {
            q.append('&').append(Json.enc("date_modified:min")).append('=').append(Json.enc(since.toString()));
        }
        return PageRequest.get("/v3/customers", q.toString());
    }

    /** The same list bounded by {@code date_modified:max} (inclusive), page {@code number}. */
    @Override
    public PageRequest snapshotPage(Instant since, Instant until, int number) {
        PageRequest bounded = page(since, (number - 1) * limit);
        return PageRequest.get(bounded.path(), bounded.query() + '&' + Json.enc("date_modified:max") + '='
                + Json.enc(until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
    }

    /** {@code meta.pagination.total} counts the whole list, whichever page answers. */
    @Override
    public Long snapshotTotal(Page page, int number) {
        return page.total();
    }

    @Override
    public Page read(PageRequest request, String body, Map<String, String> headers) {
        JsonNode root = Json.page(body, "BigCommerce customers page");
        List<JsonNode> records = Json.array(root, "data", "BigCommerce customers page");
        JsonNode pagination = root.path("meta").path("pagination");
        Long total = pagination.has("total") ? pagination.get("total").asLong() : null;
        boolean last = pagination.has("current_page") && pagination.has("total_pages")
                ? pagination.get("current_page").asInt() >= pagination.get("total_pages").asInt()
                : records.size() < limit;
        return new Page(records, null, total, last, last ? null : following(request, pagination));
    }

    /**
     * The next page of the same request by the answer's {@code meta.pagination}: the page {@code links.next} names,
     * else {@code current_page + 1}. Page numbers come from the answer, never from counting records, since a page
     * may hold fewer than {@code limit} records before the end.
     */
    static PageRequest following(PageRequest request, JsonNode pagination) {
        Integer next = null;
        Matcher m = PAGE_PARAM.matcher(pagination.path("links").path("next").asText(""));
        if (m.find()) {
            next = Integer.parseInt(m.group(1));
        } else if (pagination.path("current_page").isIntegralNumber()) {
            next = pagination.get("current_page").asInt() + 1;
        }
        if (next == null) {
            return null;
        }
        StringBuilder query = new StringBuilder();
        boolean replaced = false;
        for (String param : (request.query() == null ? "" : request.query()).split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            if (param.startsWith("page=")) {
                param = "page=" + next;
                replaced = true;
            }
            query.append(query.length() == 0 ? "" : "&").append(param);
        }
        if (!replaced) {
            query.append(query.length() == 0 ? "" : "&").append("page=").append(next);
        }
        return PageRequest.get(request.path(), query.toString());
    }

    @Override
    public Instant updatedAt(JsonNode record) {
        return SourceTimestamps.parse("date_modified", RecordFields.timestamp(record, "date_modified"));
    }

    @Override
    public String id(JsonNode record) {
        return RecordFields.id(record, "id");
    }
}
