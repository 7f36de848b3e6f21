package com.commerceidentity.platform;

import com.commerceidentity.model.MappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Type-checked reads from one platform record (or a nested object of it). Every error names the field by its
 * dotted path from the record root, e.g. {@code name.givenName} or {@code addresses[1].telephone}, so an operator
 * can find it in the source. An absent field and a JSON null both read as null: the platforms use both for
 * "no value", and a field selection ({@code fields=}) drops fields entirely.
 */
public final class JsonRecord {
    private final JsonNode node;
    private final String path;

    private JsonRecord(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** @throws MappingException with no field when the record is not a JSON object */
    public static JsonRecord of(JsonNode record) {
        if (record == null || !record.isObject()) {
            throw new MappingException(null, "record is not a JSON object but " + describe(record));
        }
        return new JsonRecord(record, "");
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    /** True when the field is present, even as null: shapes are told apart by which keys they carry. */
    public boolean hasKey(String field) {
        return node.has(field);
    }

    public boolean isText(String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual();
    }

    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** A string field; a number, boolean, object or array there is an error, not something to coerce. */
    public String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return v.textValue();
    }

    public String requiredText(String field) {
        String v = text(field);
        if (v == null || v.isBlank()) {
            throw new MappingException(path(field), "is required");
        }
        return v;
    }

    public Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false", v);
        }
        return v.booleanValue();
    }

    /**
     * Magento's 0/1 flags arrive as numbers, as digit strings (straight from MySQL through some extensions) or as
     * booleans; all three are read, anything else is an error.
     */
    public Boolean flag(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        String digits = v.isIntegralNumber() ? v.asText() : v.isTextual() ? v.textValue().trim() : null;
        if ("0".equals(digits) || "1".equals(digits)) {
            return "1".equals(digits);
        }
        throw wrongType(field, "0, 1, true or false", v);
    }

    /**
     * An integer id as exact decimal text, whether the JSON holds a number or a digit string. The text is taken
     * from the number's own token (int, long or BigInteger node), never through a double: Shopify ids exceed 2^53.
     */
    public String integerText(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isTextual() && v.textValue().matches("[0-9]+")) {
            return v.textValue();
        }
        if (v.isNumber()) {
            throw new MappingException(path(field),
                    "must be an integer, but was the floating-point number " + v.asText() + " (precision may be lost)");
        }
        throw wrongType(field, "an integer", v);
    }

    public Instant timestamp(String field) {
        return SourceTimestamps.parse(path(field), text(field));
    }

    /** A nested object, or null when absent. */
    public JsonRecord object(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(field, "an object", v);
        }
        return new JsonRecord(v, path(field));
    }

    /** The elements of an array of objects; empty when absent. */
    public List<JsonRecord> objects(String field) {
        JsonNode v = node.get(field);
        List<JsonRecord> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw wrongType(field, "an array", v);
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode element = v.get(i);
            String at = path(field) + "[" + i + "]";
            if (!element.isObject()) {
                throw new MappingException(at, "must be an object, but was " + describe(element));
            }
            out.add(new JsonRecord(element, at));
        }
        return out;
    }

    /** The string elements of an array; empty when absent. */
    public List<String> texts(String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw wrongType(field, "an array", v);
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new MappingException(path(field) + "[" + i + "]", "must be a string, but was " + describe(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    private MappingException wrongType(String field, String expected, JsonNode actual) {
        return new MappingException(path(field), "must be " + expected + ", but was " + describe(actual));
    }

    private static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        String type = v.getNodeType().name().toLowerCase(Locale.ROOT);
        return v.isContainerNode() ? "an " + (v.isArray() ? "array" : "object") : "a " + type + " (" + v.asText() + ")";
    }
}
