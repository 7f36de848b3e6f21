package com.commerceidentity.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The headers an HTTP request really carried. platform-http also copies every query parameter and every form
 * field into the message headers, under the same names, so a "header" read from the message may have come from
 * the URL or the body: {@code POST /drop/x/y?Authorization=Bearer%20...} authenticated a drop (and left the
 * token in access logs), and {@code ?X-Webhook-Secret=...} would pass for a BigCommerce delivery. Credentials
 * and signatures are read here, from the request alone; an exchange that did not come over HTTP has none.
 */
public final class RequestHeaders {
    private RequestHeaders() {
    }

    /** @return the value of the request's own header (repeated ones joined as HTTP does), or null */
    public static String get(Exchange exchange, String name) {
        HttpServerRequest request = request(exchange);
        return request == null ? null : joined(request.headers(), name);
    }

    /** @return every header of the request, names case-insensitive; empty when there is no HTTP request */
    public static Map<String, String> all(Exchange exchange) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        HttpServerRequest request = request(exchange);
        if (request != null) {
            for (String name : request.headers().names()) {
                out.put(name, joined(request.headers(), name));
            }
        }
        return out;
    }

    private static String joined(MultiMap headers, String name) {
        var values = headers.getAll(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static HttpServerRequest request(Exchange exchange) {
        for (Message m : new Message[] {exchange.getMessage(), exchange.getIn()}) {
            if (m instanceof HttpMessage http && http.getRequest() != null) {
                return http.getRequest();
            }
        }
        return null;
    }
}
