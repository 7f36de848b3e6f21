package com.commerceidentity.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What one page said.
 *
 * @param records   the accounts on it, as the platform sent them
 * @param next      the platform's own cursor to the next page (a {@code Link} header, GraphQL {@code endCursor},
 *                  SCIM {@code startIndex}), or null when the API pages by filter and position instead
 * @param total     how many records match the request's filter from its position on, when the API says so
 * @param last      the API says there is nothing after this page
 * @param following the next page of the same request as the answer's own pagination names it (say a
 *                  {@code meta.pagination} block), for walks that list in full by position rather than by keyset
 *                  (reconciliation); null when the answer says nothing of it
 */
public record Page(List<JsonNode> records, PageRequest next, Long total, boolean last, PageRequest following) {

    public Page(List<JsonNode> records, PageRequest next, Long total, boolean last) {
        this(records, next, total, last, null);
    }
}
