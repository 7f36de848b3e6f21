package com.commerceidentity.platform.shopify;

import com.commerceidentity.model.Kind;
import com.commerceidentity.sync.Json;
import com.commerceidentity.sync.MalformedPageException;
import com.commerceidentity.sync.Page;
import com.commerceidentity.sync.PageRequest;
import com.commerceidentity.sync.RecordFields;
import com.commerceidentity.sync.SurfaceUnavailableException;
import com.commerceidentity.sync.WalkerBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GraphQL {@code staffMembers(first:, after:)}, listed in full every run (staff lists are short and the
 * connection has no update filter). The requested cost is {@code first + 2}, reserved in the store's points
 * budget before the query is sent.
 */
public final class ShopifyStaffPages extends WalkerBase {
    private static final String QUERY = "query($first:Int!,$after:String){staffMembers(first:$first,after:$after)"
            + "{edges{node{id firstName lastName name email phone active accountType isShopOwner locale}}"
            + "pageInfo{hasNextPage endCursor}}}";
    private final ObjectMapper json = new ObjectMapper();
    private final String apiVersion;
    private final int first;

    public ShopifyStaffPages(String apiVersion, int first) {
        super("staff", Kind.STAFF, false, Math.min(250, Math.max(1, first)));
        this.apiVersion = apiVersion;
        this.first = pageSize();
    }

    @Override
    public PageRequest page(Instant since, int offset) {
        return request(null);
    }

    private PageRequest request(String after) {
        ObjectNode body = json.createObjectNode().put("query", QUERY);
        ObjectNode variables = body.putObject("variables").put("first", first);
        if (after == null) {
            variables.putNull("after");
        } else {
            variables.put("after", after);
        }
        return new PageRequest("POST", "/admin/api/" + apiVersion + "/graphql.json", null, body.toString(), first + 2);
    }

    @Override
    public Page read(PageRequest request, String body, Map<String, String> headers) {
        JsonNode root = Json.page(body, "Shopify staffMembers page");
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            // Not a transport fault: the shop refuses the query (missing read_users scope, not a Plus/Advanced
            // shop). Never read as an empty staff list: the run is unavailable and says why.
            JsonNode first = errors.get(0);
            String code = first.path("extensions").path("code").asText("");
            throw new SurfaceUnavailableException("Shopify staffMembers: " + ("ACCESS_DENIED".equals(code)
                    ? "scope missing: " : "") + first.path("message").asText());
        }
        JsonNode connection = root.path("data").path("staffMembers");
        if (!connection.has("edges")) {
            throw new MalformedPageException("Shopify staffMembers page: no data.staffMembers.edges", null);
        }
        List<JsonNode> records = new ArrayList<>();
        connection.get("edges").forEach(e -> records.add(e.path("node")));
        JsonNode info = connection.path("pageInfo");
        boolean more = info.path("hasNextPage").asBoolean(false);
        return new Page(records, more ? request(info.path("endCursor").asText()) : null, null, !more);
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
        return com.commerceidentity.model.Surface.GRAPHQL;
    }
}
