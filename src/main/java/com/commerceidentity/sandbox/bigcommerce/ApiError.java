package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** A BigCommerce error answer: {@code {status, title, type, errors}} (ErrorResponse / error_Full in the specs). */
final class ApiError extends RuntimeException {

    static final String TYPE = "/api-docs/getting-started/api-status-codes";

    final int status;
    final Map<String, String> errors;

    ApiError(int status, String title, Map<String, String> errors) {
        super(title);
        this.status = status;
        this.errors = errors;
    }

    ApiError(int status, String title) {
        this(status, title, null);
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("status", status);
        node.put("title", getMessage());
        node.put("type", TYPE);
        if (errors != null) {
            ObjectNode e = node.putObject("errors");
            errors.forEach(e::put);
        }
        return node;
    }
}
