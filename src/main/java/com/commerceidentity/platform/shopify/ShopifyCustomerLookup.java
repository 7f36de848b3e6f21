package com.commerceidentity.platform.shopify;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Lists customers by id ({@code GET /admin/api/{version}/customers.json?ids=...}): Shopify webhooks carry full
 * payloads, so this is asked only to confirm a {@code customers/delete} at the source. A deleted customer is simply
 * absent from the list (a single {@code customers/{id}.json} would answer 404, one request per id).
 */
final class ShopifyCustomerLookup implements WebhookFetch {

    @Override
    public StoreRequest request(StoreConfig store, Kind kind, Set<String> ids) {
        if (kind != Kind.CUSTOMER) {
            throw new IllegalArgumentException("Shopify webhooks name customers only, not " + kind);
        }
        return StoreRequest.get("/admin/api/" + ShopifyModule.apiVersion(store) + "/customers.json",
                "ids=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8)
                        + "&limit=250&fields=id,updated_at");
    }

    @Override
    public JsonNode records(JsonNode answer, Kind kind) {
        return answer.path("customers");
    }
}
