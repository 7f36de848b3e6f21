package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** A WP_Error as the WordPress REST server renders it: {@code {"code","message","data":{"status",...}}}. */
final class RestError extends RuntimeException {

    /** One entry of a rest_invalid_param answer: the inner WP_Error code and message of one parameter. */
    record Invalid(String code, String message) {
    }

    final String code;
    final int status;
    private final ObjectNode data = Json.object();

    RestError(String code, String message, int status) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        data.put("status", status);
    }

    RestError with(String field, JsonNode value) {
        data.set(field, value);
        return this;
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("code", code);
        node.put("message", getMessage());
        node.set("data", data.deepCopy());
        return node;
    }

    static RestError noRoute() {
        return new RestError("rest_no_route", "No route was found matching the URL and request method", 404);
    }

    /** Users::get_user_in_current_site() in current code; releases before it said woocommerce_rest_invalid_id. */
    static RestError invalidUserId() {
        return new RestError("wc_user_invalid_id", "Invalid user ID.", 404);
    }

    /** 401 when nobody is logged in, 403 when someone is but lacks the capability (rest_authorization_required_code). */
    static int authorizationRequired(Integer userId) {
        return userId == null ? 401 : 403;
    }

    /** WP_REST_Request::has_valid_params(): every bad parameter, in registration order, in one 400. */
    static RestError invalidParams(Map<String, Invalid> invalid) {
        RestError error = new RestError("rest_invalid_param", "Invalid parameter(s): " + String.join(", ", invalid.keySet()), 400);
        ObjectNode params = Json.object();
        ObjectNode details = Json.object();
        invalid.forEach((name, why) -> {
            params.put(name, why.message());
            ObjectNode detail = details.putObject(name);
            detail.put("code", why.code());
            detail.put("message", why.message());
            detail.putNull("data");
        });
        return error.with("params", params).with("details", details);
    }

    /** WP_REST_Request::has_valid_params() for arguments marked required. */
    static RestError missingParams(List<String> names) {
        ArrayNode params = Json.array();
        names.forEach(params::add);
        return new RestError("rest_missing_callback_param", "Missing parameter(s): " + String.join(", ", names), 400)
                .with("params", params);
    }
}
