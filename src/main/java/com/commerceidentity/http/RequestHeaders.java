package com.commerceidentity.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The headers an HTTP request really carried. platform-http also copies every query parameter and every form
 * field into the message headers, under the same names, so a "header" read from the message may have come from
 * the URL or the body: {@code POST /drop/x/y?Authorization=Bearer%20...} authenticated a drop (and left the
 * token in access logs), and {@code ?X-Webhook-Secret=...} would pass for a signed webhook delivery. Credentials
 * and signatures are read here, from the request alone; an exchange that did not come over HTTP has none.
 *
 * <p>The {@code http-errors} route configuration calls {@link #keep} as each request comes in: a step such as
 * {@code convertBodyTo} replaces the message, and the request with it.
 */
public final class RequestHeaders {
    /** Exchange property: the request's own headers (Vert.x {@link MultiMap}, names case-insensitive). */
    public static final String PROPERTY = "requestHeaders";

    private RequestHeaders() {
    }

    /** Puts the request's own headers on the exchange, where later steps still find them. */
    public static void keep(Exchange exchange) {
        MultiMap headers = fromMessage(exchange);
        if (headers != null) {
            exchange.setProperty(PROPERTY, headers);
        }
    }

    /** @return the value of the request's own header (repeated ones joined as HTTP does), or null */
    public static String get(Exchange exchange, String name) {
        MultiMap headers = of(exchange);
        return headers == null ? null : joined(headers, name);
    }

    /** @return every header of the request, names case-insensitive; empty when there is no HTTP request */
    public static Map<String, String> all(Exchange exchange) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        MultiMap headers = of(exchange);
        if (headers != null) {
            for (String name : headers.names()) {
                out.put(name, joined(headers, name));
            }
        }
        return out;
    }

    /** @return the HTTP request the exchange came from, or null for an exchange that did not come over HTTP */
    public static HttpServerRequest request(Exchange exchange) {
        for (Message m : new Message[] {exchange.getMessage(), exchange.getIn()}) {
            if (m instanceof HttpMessage http && http.getRequest() != null) {
                return http.getRequest();
            }
        }
        return null;
    }

    private static MultiMap of(Exchange exchange) {
        MultiMap kept = exchange.getProperty(PROPERTY, MultiMap.class);
        return kept != null ? kept : fromMessage(exchange);
    }

    private static MultiMap fromMessage(Exchange exchange) {
        HttpServerRequest request = request(exchange);
        return request == null ? null : request.headers();
    }

    private static String joined(MultiMap headers, String name) {
        List<String> values = headers.getAll(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
