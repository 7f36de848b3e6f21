package com.commerceidentity.platform.medusa;

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

/**
 * {@code GET /admin/customers}, {@code /admin/users} and {@code /admin/invites}: {@code offset}/{@code limit} with {@code count},
 * filtered by {@code updated_at[$gte]} and ordered by {@code updated_at}. Medusa publishes no maximum limit.
 */
public final class MedusaPages extends WalkerBase {
    private final int limit;

    public MedusaPages(Kind kind, int limit) {
        this(kind == Kind.CUSTOMER ? "customers" : "users", kind, limit);
    }

    /** {@code resource}: the list's name in the path and in the answer ({@code customers}, {@code users}, {@code invites}). */
    public MedusaPages(String resource, Kind kind, int limit) {
        super(resource, kind, true, Math.max(1, limit));
        this.limit = pageSize();
    }

    private String field() {
        return surface();
    }

    @Override
    public PageRequest page(Instant since, int offset) {
        StringBuilder q = new StringBuilder("limit=").append(limit).append("&offset=").append(offset)
                .append("&order=updated_at");
        if (since != null) {
            q.append('&').append(Json.enc("updated_at[$gte]")).append('=').append(Json.enc(since.toString()));
        }
        return PageRequest.get("/admin/" + field(), q.toString());
    }

    /** The same list bounded by {@code updated_at[$lte]}, page {@code number} by offset. */
    @Override
    public PageRequest snapshotPage(Instant since, Instant until, int number) {
        PageRequest bounded = page(since, (number - 1) * limit);
        return PageRequest.get(bounded.path(), bounded.query() + '&' + Json.enc("updated_at[$lte]") + '='
                + Json.enc(until.toString()));
    }

    @Override
    public Page read(PageRequest request, String body, Map<String, String> headers) {
        JsonNode root = Json.page(body, "Medusa " + field() + " page");
        List<JsonNode> records = Json.array(root, field(), "Medusa " + field() + " page");
        Long count = root.has("count") ? root.get("count").asLong() : null;
        long offset = root.path("offset").asLong(0);
        boolean last = count != null ? offset + records.size() >= count : records.size() < limit;
        return new Page(records, null, count == null ? null : count - offset, last);
    }

    @Override
    public Instant updatedAt(JsonNode record) {
        return SourceTimestamps.parse("updated_at", RecordFields.timestamp(record, "updated_at"));
    }

    @Override
    public String id(JsonNode record) {
        return RecordFields.id(record, "id");
    }
}
