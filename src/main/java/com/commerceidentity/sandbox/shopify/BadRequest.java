package com.commerceidentity.sandbox.shopify;

/** A 400 answered as Shopify does: {@code {"errors":{"<param>":"<message>"}}}. */
final class BadRequest extends RuntimeException {

    final String param;

    BadRequest(String param, String message) {
        super(message);
        this.param = param;
    }
}
