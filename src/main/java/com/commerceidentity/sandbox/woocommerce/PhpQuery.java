package com.commerceidentity.sandbox.woocommerce;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query string (or form body) read the way PHP fills {@code $_GET}: {@code +} is a space, a repeated name keeps
 * its last value, and {@code name[]=a&name[]=b} / {@code name[k]=v} make a one-level array. WordPress validates
 * and WooCommerce signs what PHP parsed, not the raw text, so both need this view.
 */
final class PhpQuery {

    /** Parameter name to either a String or a {@code LinkedHashMap<String, String>} (bracket syntax). */
    final Map<String, Object> values = new LinkedHashMap<>();
    /** The raw {@code name=value} pairs in request order, still encoded: what add_query_arg() echoes into Link headers. */
    final List<String[]> raw = new ArrayList<>();

    static PhpQuery parse(String query) {
        PhpQuery parsed = new PhpQuery();
        if (query == null || query.isEmpty()) {
            return parsed;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            parsed.raw.add(new String[]{rawName, rawValue});
            parsed.put(decode(rawName), decode(rawValue));
        }
        return parsed;
    }

    @SuppressWarnings("unchecked")
    void put(String name, String value) {
        int open = name.indexOf('[');
        if (open > 0 && name.endsWith("]")) {
            String base = name.substring(0, open);
            String key = name.substring(open + 1, name.length() - 1);
            Object current = values.get(base);
            Map<String, String> array = current instanceof Map<?, ?> m ? (Map<String, String>) m : new LinkedHashMap<>();
            array.put(key.isEmpty() ? String.valueOf(nextIndex(array)) : key, value);
            values.put(base, array);
        } else {
            values.put(name, value);
        }
    }

    private static int nextIndex(Map<String, String> array) {
        int next = 0;
        for (String key : array.keySet()) {
            try {
                next = Math.max(next, Integer.parseInt(key) + 1);
            } catch (NumberFormatException ignored) {
                // string keys do not advance PHP's next index
            }
        }
        return next;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // PHP's urldecode leaves a malformed escape as it is
            return text;
        }
    }
}
