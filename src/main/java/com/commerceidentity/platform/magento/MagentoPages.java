package com.commerceidentity.platform.magento;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.SourceTimestamps;
import com.commerceidentity.sync.Json;
import com.commerceidentity.sync.Page;
import com.commerceidentity.sync.PageRequest;
import com.commerceidentity.sync.RecordFields;
import com.commerceidentity.sync.WalkerBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /V1/customers/search} (customers, filtered by {@code updated_at gteq}, sorted ascending) and
 * {@code GET /V1/users} (admin users, listed in full; stock Magento has no such endpoint, an extension adds it): {@code searchCriteria[pageSize]} (at most 300 by default)
 * and {@code [currentPage]}. Magento never answers an empty page past the end (it repeats the last one), so the
 * walk stops by {@code total_count}.
 */
public final class MagentoPages extends WalkerBase {
    private static final DateTimeFormatter MAGENTO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public MagentoPages(Kind kind, int pageSize) {
        super(kind == Kind.CUSTOMER ? "customers" : "admin-users", kind, kind == Kind.CUSTOMER, Math.max(1, pageSize));
    }

    @Override
    public PageRequest page(Instant since, int offset) {
        int currentPage = offset / pageSize() + 1;
        StringBuilder q = new StringBuilder();
        if (since != null && incremental()) {
            String f = "searchCriteria[filter_groups][0][filters][0]";
            q.append(MagentoOAuth1.encode(f + "[field]")).append("=updated_at&")
                    .append(MagentoOAuth1.encode(f + "[value]")).append('=').append(MagentoOAuth1.encode(MAGENTO_TIME.format(since))).append('&')
                    .append(MagentoOAuth1.encode(f + "[condition_type]")).append("=gteq&");
        }
        if (incremental()) {
            q.append(MagentoOAuth1.encode("searchCriteria[sortOrders][0][field]")).append("=updated_at&")
                    .append(MagentoOAuth1.encode("searchCriteria[sortOrders][0][direction]")).append("=ASC&");
        }
        q.append(MagentoOAuth1.encode("searchCriteria[pageSize]")).append('=').append(pageSize()).append('&')
                .append(MagentoOAuth1.encode("searchCriteria[currentPage]")).append('=').append(currentPage);
        return PageRequest.get(incremental() ? "/V1/customers/search" : "/V1/users", q.toString());
    }

    /**
     * Customers bounded by a second filter group ({@code updated_at lteq}; groups are ANDed), page {@code number}.
     * Admin users are listed by the platform's own paging.
     */
    @Override
    public PageRequest snapshotPage(Instant since, Instant until, int number) {
        if (!incremental()) {
            return null;
        }
        PageRequest bounded = page(since, (number - 1) * pageSize());
        String f = "searchCriteria[filter_groups][" + (since == null ? 0 : 1) + "][filters][0]";
        String bound = MagentoOAuth1.encode(f + "[field]") + "=updated_at&" + MagentoOAuth1.encode(f + "[value]") + '='
                + MagentoOAuth1.encode(MAGENTO_TIME.format(until)) + '&' + MagentoOAuth1.encode(f + "[condition_type]")
                + "=lteq&";
        return PageRequest.get(bounded.path(), bound + bounded.query());
    }

    @Override
    public Page read(PageRequest request, String body, Map<String, String> headers) {
        JsonNode root = Json.page(body, "Magento " + surface() + " page");
        List<JsonNode> records = Json.array(root, "items", "Magento " + surface() + " page");
        long total = root.path("total_count").asLong(records.size());
        int currentPage = root.path("search_criteria").path("current_page").asInt(1);
        long before = (long) (currentPage - 1) * pageSize();
        boolean last = before + records.size() >= total;
        PageRequest next = incremental() || last ? null : page(null, currentPage * pageSize());
        return new Page(records, next, Math.max(0, total - before), last);
    }

    @Override
    public Instant updatedAt(JsonNode record) {
        String field = kind() == Kind.CUSTOMER ? "updated_at" : "modified";
        return SourceTimestamps.parse(field, RecordFields.timestamp(record, field));
    }

    @Override
    public String unavailable(int code) {
        return incremental() ? super.unavailable(code) : surface() + " answered HTTP " + code + " for GET /V1/users:"
                + " a stock Magento 2.4 store has no admin-user REST endpoint (it takes an extension that adds one);"
                + " skipped, customers are unaffected";
    }

    @Override
    public String id(JsonNode record) {
        return RecordFields.id(record, record.has("id") ? "id" : "user_id");
    }
}
