package com.commerceidentity.platform.magento;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Lists customers by id ({@code GET /V1/customers/search}, one filter {@code entity_id in 1,2,3}, a page as large
 * as the ids): asked only to confirm an {@code observer.customer_delete_commit_after} at the store before it is
 * applied, as the other platforms' deletions are (magentoWebhookTopics). {@code entity_id} is the customer
 * collection's key, the field Magento's own examples sort and filter customers by. Adobe signs the whole body
 * with the event name in it, so this is not about a forged topic: an event Adobe delivers for a deletion rolled
 * back, or replayed after the account was restored, must not erase a customer the store still has.
 */
final class MagentoCustomerLookup implements WebhookFetch {

    @Override
    public StoreRequest request(StoreConfig store, Kind kind, Set<String> ids) {
        if (kind != Kind.CUSTOMER) {
            throw new IllegalArgumentException("Magento admin users are not looked up by id (no webhook names them)");
        }
        String f = "searchCriteria[filter_groups][0][filters][0]";
        return StoreRequest.get("/V1/customers/search",
                MagentoOAuth1.encode(f + "[field]") + "=entity_id&"
                        + MagentoOAuth1.encode(f + "[value]") + '=' + MagentoOAuth1.encode(String.join(",", ids)) + '&'
                        + MagentoOAuth1.encode(f + "[condition_type]") + "=in&"
                        + MagentoOAuth1.encode("searchCriteria[pageSize]") + '=' + Math.max(1, ids.size()) + '&'
                        + MagentoOAuth1.encode("searchCriteria[currentPage]") + "=1");
    }

    @Override
    public JsonNode records(JsonNode answer, Kind kind) {
        return answer.path("items");
    }
}
