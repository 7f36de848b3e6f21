package com.commerceidentity.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * An access list (roles, tags) in one text column, as a JSON array: portable between H2 and PostgreSQL (no array
 * column types) and unambiguous for values holding commas. Null stays null ("not shown"), which is not the
 * empty array ("shown, none").
 */
final class AccessColumns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private AccessColumns() {
    }

    static String list(List<String> values) {
        if (values == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write access list " + values, e);
        }
    }

    static List<String> list(String column) {
        if (column == null) {
            return null;
        }
        try {
            return JSON.readValue(column, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored access list is not a JSON array of strings: " + column, e);
        }
    }
}
