package com.commerceidentity.platform.shopify;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.SourceTimestamps;
import com.commerceidentity.sync.Json;
import com.commerceidentity.sync.MalformedPageException;
import com.commerceidentity.sync.Page;
import com.commerceidentity.sync.PageRequest;
import com.commerceidentity.sync.RecordFields;
import com.commerceidentity.sync.WalkerBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /admin/api/{version}/customers.json}: the first page filters ({@code updated_at_min}, inclusive) and
 * sorts ({@code order=updated_at asc}); later pages follow the {@code Link rel="next"} cursor, which carries
 * only {@code page_info} and {@code limit} (Shopify answers 400 when a cursor is combined with filters).
 */
public final class ShopifyCustomerPages extends WalkerBase {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private final String apiVersion;
    private final int limit;

    public ShopifyCustomerPages(String apiVersion, int limit) {
        super("customers", Kind.CUSTOMER, true, Math.min(250, Math.max(1, limit)));
        this.apiVersion = apiVersion;
        this.limit = pageSize();
    }

    private String path() {
        return "/admin/api/" + apiVersion + "/customers.json";
    }

    @Override
    public PageRequest page(Instant since, int offset) {
        // Shopify has no offset: a run that must start inside a crowd of equal timestamps re-reads it and
        // skips the ids it has already committed.
        StringBuilder q = new StringBuilder("limit=").append(limit).append("&order=").append(Json.enc("updated_at asc"));
        if (since != null) {
            q.append("&updated_at_min=").append(Json.enc(since.toString()));
        }
        return PageRequest.get(path(), q.toString());
    }

    /**
     * {@code updated_at_max} bounds the first page of a lane; the cursor in its {@code Link} header carries the
     * filter on, as Shopify's {@code page_info} does (it cannot be repeated beside one).
     */
    @Override
    public PageRequest windowPage(Instant since, Instant until) {
        PageRequest first = page(since, 0);
        return PageRequest.get(first.path(), first.query() + "&updated_at_max=" + Json.enc(until.toString()));
    }

    /** {@code GET customers/count.json}, which takes the same {@code updated_at_min}/{@code _max} as the list. */
    @Override
    public PageRequest countRequest(Instant since, Instant until) {
        StringBuilder q = new StringBuilder();
        if (since != null) {
            q.append("updated_at_min=").append(Json.enc(since.toString())).append('&');
        }
        q.append("updated_at_max=").append(Json.enc(until.toString()));
        return PageRequest.get("/admin/api/" + apiVersion + "/customers/count.json", q.toString());
    }

    @Override
    public long readCount(String body) {
        JsonNode count = Json.page(body, "Shopify customers count").get("count");
        if (count == null || !count.canConvertToLong()) {
            throw new MalformedPageException("Shopify customers count: no numeric 'count' in the answer", null);
        }
        return count.asLong();
    }

    @Override
    public Page read(PageRequest request, String body, Map<String, String> headers) {
        JsonNode root = Json.page(body, "Shopify customers page");
        List<JsonNode> records = Json.array(root, "customers", "Shopify customers page");
        PageRequest next = nextPage(headers.get("Link"));
        return new Page(records, next, null, next == null);
    }

    /** The {@code rel="next"} URL's query, used exactly as given. */
    private PageRequest nextPage(String link) {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        return PageRequest.get(path(), URI.create(m.group(1)).getRawQuery());
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
