package com.commerceidentity.webhook;

import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * One request to a store, relative to its base URL, as {@code direct:store-call} takes it.
 *
 * @param query already URL-encoded, or null
 * @param body  JSON, or null
 */
public record StoreRequest(String method, String path, String query, String body) {

    public static StoreRequest get(String path, String query) {
        return new StoreRequest("GET", path, query, null);
    }

    public static StoreRequest post(String path, String body) {
        return new StoreRequest("POST", path, null, body);
    }

    void applyTo(Message m, StoreConfig store) {
        m.setHeader(StoreCalls.STORE_ID, store.id());
        m.setHeader(Exchange.HTTP_METHOD, method);
        m.setHeader(Exchange.HTTP_PATH, path);
        if (query == null) {
            m.removeHeader(Exchange.HTTP_QUERY);
        } else {
            m.setHeader(Exchange.HTTP_QUERY, query);
        }
        if (body == null) {
            m.removeHeader(Exchange.CONTENT_TYPE);
        } else {
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        m.setBody(body);
    }
}
