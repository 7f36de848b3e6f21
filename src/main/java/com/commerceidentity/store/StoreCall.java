package com.commerceidentity.store;

import com.commerceidentity.budget.Permit;
import com.commerceidentity.budget.RateBudget;

/**
 * One logical request to a store across its attempts: what to send again, and what happened so far. It lives in
 * an exchange property because Camel puts the message back before a redelivery but leaves the properties alone.
 */
final class StoreCall {
    final StoreConfig store;
    final String lane;
    final RateBudget budget;
    final String method;
    final String path;
    final String query;
    final byte[] body;
    final String contentType;
    final double cost;
    final boolean authenticated;
    Permit permit;
    int attempts;
    int failures;
    int rateLimited;
    boolean authRenewed;
    int lastStatus;
    /** The message's headers as the attempt sent it: what differs after the answer is the answer's. */
    java.util.Map<String, Object> sentHeaders = java.util.Map.of();

    StoreCall(StoreConfig store, String lane, RateBudget budget, String method, String path, String query,
              byte[] body, String contentType, double cost, boolean authenticated) {
        this.store = store;
        this.lane = lane;
        this.budget = budget;
        this.method = method;
        this.path = path;
        this.query = query;
        this.body = body;
        this.contentType = contentType;
        this.cost = cost;
        this.authenticated = authenticated;
    }

    String describe() {
        return method + " " + path + (query == null || query.isEmpty() ? "" : "?" + query) + " on store '" + store.id() + "'";
    }
}
