package com.commerceidentity.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP request we refuse, with the status and the JSON fields that tell the caller why. Routes turn it
 * into the response in one place (the {@code http-errors} route configuration).
 */
public class HttpProblem extends RuntimeException {
    private final int status;
    private final Map<String, Object> details;
    private final Map<String, String> headers;

    public HttpProblem(int status, String message) {
        this(status, message, Map.of());
    }

    public HttpProblem(int status, String message, Map<String, Object> details) {
        this(status, message, details, Map.of());
    }

    /** @param headers answer headers the refusal needs (a 401's {@code WWW-Authenticate}) */
    public HttpProblem(int status, String message, Map<String, Object> details, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.details = details;
        this.headers = headers;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    /** The response body: {@code {"status":..,"error":..,...details}}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", getMessage());
        body.putAll(details);
        return body;
    }
}
