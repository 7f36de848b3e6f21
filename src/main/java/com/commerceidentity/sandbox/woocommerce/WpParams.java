package com.commerceidentity.sandbox.woocommerce;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Argument validation as WordPress does it before a route's permission check (rest_validate_value_from_schema and
 * the sanitizers WooCommerce registers): every bad parameter is collected and {@link #check()} answers them all
 * in one 400 {@code rest_invalid_param}, in the order the route registered its arguments (the call order here).
 */
final class WpParams {

    private static final Pattern INTEGER = Pattern.compile("\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");

    private final PhpQuery query;
    private final Map<String, RestError.Invalid> invalid = new LinkedHashMap<>();

    WpParams(PhpQuery query) {
        this.query = query;
    }

    boolean has(String name) {
        return query.has(name);
    }

    /** A string argument; an array where a string is expected is a type error. */
    String text(String name) {
        Object value = query.values.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        typeError(name, "string");
        return null;
    }

    /** An integer argument with optional bounds (rest_is_integer: "10", "10.0" and " 10" pass, "abc" does not). */
    int integer(String name, int fallback, Integer min, Integer max) {
        Object value = query.values.get(name);
        if (value == null) {
            return fallback;
        }
        Long parsed = value instanceof String s ? parseInteger(s) : null;
        if (parsed == null) {
            typeError(name, "integer");
            return fallback;
        }
        if (min != null && max != null && (parsed < min || parsed > max)) {
            invalid.put(name, new RestError.Invalid("rest_out_of_bounds", name + " must be between " + min + " (inclusive) and " + max + " (inclusive)"));
            return fallback;
        }
        if (min != null && parsed < min) {
            invalid.put(name, new RestError.Invalid("rest_out_of_bounds", name + " must be greater than or equal to " + min));
            return fallback;
        }
        if (max != null && parsed > max) {
            invalid.put(name, new RestError.Invalid("rest_out_of_bounds", name + " must be less than or equal to " + max));
            return fallback;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed));
    }

    /** One of {@code allowed}; the message lists them as wp_sprintf's %l does ("a, b, and c"). */
    String oneOf(String name, String fallback, List<String> allowed) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            invalid.put(name, new RestError.Invalid("rest_not_in_enum", name + " is not one of " + list(allowed) + "."));
            return fallback;
        }
        return value;
    }

    /** An array of integers, sanitised by wp_parse_id_list (unique absolute values, zeros dropped). */
    List<Integer> idList(String name) {
        Object value = query.values.get(name);
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        if (value instanceof Map<?, ?> array) {
            array.values().forEach(v -> items.add(String.valueOf(v)));
        } else {
            for (String item : LIST_SEPARATOR.split(((String) value).trim())) {
                if (!item.isEmpty()) {
                    items.add(item);
                }
            }
        }
        LinkedHashSet<Integer> ids = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Long parsed = parseInteger(items.get(i));
            if (parsed == null) {
                invalid.putIfAbsent(name, new RestError.Invalid("rest_invalid_type", name + "[" + i + "] is not of type integer."));
                return List.of();
            }
            long id = Math.abs(parsed);
            if (id > 0 && id <= Integer.MAX_VALUE) {
                ids.add((int) id);
            }
        }
        return List.copyOf(ids);
    }

    /** rest_is_boolean: true/false, "true"/"false", "1"/"0" and "" (false). */
    boolean bool(String name, boolean fallback) {
        Object value = query.values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            switch (s.toLowerCase()) {
                case "true", "1" -> {
                    return true;
                }
                case "false", "0", "" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        typeError(name, "boolean");
        return fallback;
    }

    /** A string with format email, checked with WordPress' is_email(). */
    String email(String name) {
        String value = text(name);
        if (value != null && !isEmail(value)) {
            invalid.put(name, new RestError.Invalid("rest_invalid_email", "Invalid email address."));
            return null;
        }
        return value;
    }

    void check() {
        if (!invalid.isEmpty()) {
            throw RestError.invalidParams(invalid);
        }
    }

    private void typeError(String name, String type) {
        invalid.put(name, new RestError.Invalid("rest_invalid_type", name + " is not of type " + type + "."));
    }

    private static Long parseInteger(String text) {
        if (!INTEGER.matcher(text).matches()) {
            return null;
        }
        try {
            BigDecimal number = new BigDecimal(text.trim());
            return number.stripTrailingZeros().scale() <= 0 ? number.longValueExact() : null;
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    static String list(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        if (items.size() == 2) {
            return items.get(0) + " and " + items.get(1);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + ", and " + items.get(items.size() - 1);
    }

    /** WordPress is_email(): length, one '@' after the first character, allowed local characters, dotted domain. */
    static boolean isEmail(String email) {
        if (email.length() < 6) {
            return false;
        }
        int at = email.indexOf('@', 1);
        if (at < 0 || email.indexOf('@', at + 1) >= 0) {
            return false;
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (!local.matches("[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+") || domain.contains("..")) {
            return false;
        }
        String trimmed = domain.replaceAll("^[\\s.]+|[\\s.]+$", "");
        if (!trimmed.equals(domain)) {
            return false;
        }
        String[] subs = domain.split("\\.");
        if (subs.length < 2) {
            return false;
        }
        for (String sub : subs) {
            String s = sub.replaceAll("^[\\s-]+|[\\s-]+$", "");
            if (s.isEmpty() || !s.matches("(?i)[a-z0-9-]+")) {
                return false;
            }
        }
        return true;
    }
}
