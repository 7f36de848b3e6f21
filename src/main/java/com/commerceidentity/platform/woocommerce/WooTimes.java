package com.commerceidentity.platform.woocommerce;

import com.commerceidentity.model.MappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** WooCommerce's {@code *_gmt} dates: {@code 2017-03-21T19:09:28}, UTC, no offset. */
final class WooTimes {
    private WooTimes() {
    }

    static String text(JsonNode record, String field) {
        JsonNode v = record.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    static Instant parse(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new MappingException(field, "is not a date like 2017-03-21T19:09:28 but '" + value + "'");
        }
    }
}
