package com.commerceidentity.http;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * What our HTTP answers may carry: only the headers an answer is meant to have. Camel's default copies every
 * message header into the answer, so a request's own headers came back to the caller (a webhook's signature,
 * a drop's bearer token), and so would anything a route set on the way (a store's access token for a call made
 * while answering). A form-encoded body even became a header named after the body, which Vert.x refused with a
 * 500. Request headers still reach the routes as before.
 */
public class AnswerHeaders extends HttpHeaderFilterStrategy {
    private static final Set<String> ANSWER = Set.of("content-type", "retry-after", "location", "cache-control",
            "www-authenticate", "link", "content-security-policy", "x-content-type-options");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return super.applyFilterToCamelHeaders(headerName, headerValue, exchange)
                || !ANSWER.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
