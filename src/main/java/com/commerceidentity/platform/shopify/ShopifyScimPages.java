package com.commerceidentity.platform.shopify;

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

/** SCIM 2.0 {@code /scim/v2/Users}: 1-based {@code startIndex}, {@code count} (at most 100), listed in full. */
public final class ShopifyScimPages extends WalkerBase {
    private final int count;

    public ShopifyScimPages(int count) {
        super("scim-users", Kind.STAFF, false, Math.min(100, Math.max(1, count)));
        this.count = pageSize();
    }

    @Override
    public PageRequest page(Instant since, int offset) {
        return PageRequest.get("/scim/v2/Users", "startIndex=" + (offset + 1) + "&count=" + count);
    }

    @Override
    public Page read(PageRequest request, String body, Map<String, String> headers) {
        JsonNode root = Json.page(body, "SCIM Users page");
        List<JsonNode> records = Json.array(root, "Resources", "SCIM Users page");
        long total = root.path("totalResults").asLong(records.size());
        long start = root.path("startIndex").asLong(1);
        long seen = start - 1 + records.size();
        boolean last = seen >= total || records.isEmpty();
        return new Page(records, last ? null : page(null, (int) seen), total - (start - 1), last);
    }

    @Override
    public Instant updatedAt(JsonNode record) {
        return null;
    }

    @Override
    public String id(JsonNode record) {
        return RecordFields.id(record, "id");
    }

    @Override
    public com.commerceidentity.model.Surface api() {
        return com.commerceidentity.model.Surface.SCIM;
    }
}
