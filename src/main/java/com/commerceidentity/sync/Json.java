package com.commerceidentity.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small helpers the page walkers share: parse a body or say clearly why it is not a page. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static JsonNode page(String body, String what) {
        try {
            JsonNode root = MAPPER.readTree(body == null ? "" : body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedPageException(what + ": empty body", null);
            }
            return root;
        } catch (MalformedPageException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedPageException(what + ": body is not JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")", e);
        }
    }

    /** The array under {@code field}; a page without it is malformed, whatever its status said. */
    public static List<JsonNode> array(JsonNode root, String field, String what) {
        JsonNode items = root.get(field);
        if (items == null || !items.isArray()) {
            throw new MalformedPageException(what + ": no '" + field + "' array in the answer", null);
        }
        List<JsonNode> out = new ArrayList<>(items.size());
        items.forEach(out::add);
        return out;
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
