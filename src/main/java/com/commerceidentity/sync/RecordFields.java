package com.commerceidentity.sync;

import com.commerceidentity.model.MappingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the two fields sync itself relies on, a record's id and its update time, strictly: what cannot be read
 * (missing, null, wrong JSON type, blank) throws a {@link MappingException} naming the field, and the run keeps
 * the record as a reject instead of guessing ({@link SyncRun}).
 */
public final class RecordFields {
    private RecordFields() {
    }

    /** The id under {@code field}: a whole number or a non-blank string. */
    public static String id(JsonNode record, String field) {
        JsonNode v = record == null ? null : record.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            throw new MappingException(field, "missing");
        }
        if (v.isIntegralNumber() || (v.isTextual() && !v.asText().isBlank())) {
            return v.asText();
        }
        throw new MappingException(field, "is not an id: " + abbreviate(v.toString()));
    }

    /** The text of the timestamp under {@code field}, for the platform's parser; it must be a non-blank string. */
    public static String timestamp(JsonNode record, String field) {
        JsonNode v = record == null ? null : record.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            throw new MappingException(field, "missing");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new MappingException(field, "is not a timestamp: " + abbreviate(v.toString()));
        }
        return v.asText();
    }

    static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
