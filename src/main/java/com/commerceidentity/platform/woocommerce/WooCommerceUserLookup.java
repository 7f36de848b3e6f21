package com.commerceidentity.platform.woocommerce;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Lists WordPress users by id ({@code GET /wp-json/wc/v3/customers?include=...&per_page=n&role=all&_fields=id}):
 * WooCommerce webhooks carry full payloads, so this is asked only to confirm a {@code customer.deleted} at the
 * source. A deleted user is simply absent from the list. {@code role=all} because the list shows role
 * {@code customer} alone by default, and a customer made subscriber is still there; {@code per_page} because the
 * list answers 10 by default and refuses more than 100 (400 {@code rest_invalid_param}), hence
 * {@link #maxIdsPerRequest}; {@code _fields=id} because an id is all the answer needs to say.
 */
final class WooCommerceUserLookup implements WebhookFetch {
    /** The REST collection's per_page maximum (WC_REST_Customers_V1_Controller::get_collection_params). */
    static final int MAX_PER_PAGE = 100;

    @Override
    public StoreRequest request(StoreConfig store, Kind kind, Set<String> ids) {
        return StoreRequest.get("/wp-json/wc/v3/customers", "include="
                + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8)
                + "&per_page=" + Math.max(1, ids.size()) + "&role=all&_fields=id");
    }

    @Override
    public JsonNode records(JsonNode answer, Kind kind) {
        return answer;
    }

    @Override
    public int maxIdsPerRequest() {
        return MAX_PER_PAGE;
    }
}
