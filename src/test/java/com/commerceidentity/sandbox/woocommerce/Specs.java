package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The copies of the WooCommerce spec files under src/test/resources/platform-specs/woocommerce. */
final class Specs {

    static final String DIR = "/platform-specs/woocommerce/";

    private Specs() {
    }

    static JsonNode json(String file) {
        try (InputStream in = Specs.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + file);
            }
            return Json.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
