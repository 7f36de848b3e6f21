package com.commerceidentity.sync;

/**
 * One request for a page, relative to the store's base URL, as {@code direct:store-call} takes it.
 *
 * @param query already URL-encoded
 * @param cost  GraphQL requested cost (1 for REST)
 */
public record PageRequest(String method, String path, String query, String body, double cost) {

    public static PageRequest get(String path, String query) {
        return new PageRequest("GET", path, query, null, 1);
    }
}
