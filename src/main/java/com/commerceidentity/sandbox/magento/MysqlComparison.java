package com.commerceidentity.sandbox.magento;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * searchCriteria conditions and sort order as MySQL evaluates them for Magento: numeric when both sides are numbers,
 * otherwise case-insensitive text (the default {@code utf8_general_ci} collation), so {@code eq} on an email is
 * case-insensitive and dates in Magento's {@code yyyy-MM-dd HH:mm:ss} form compare chronologically.
 */
final class MysqlComparison {

    private MysqlComparison() {
    }

    /** As in SQL, a NULL (here also a missing or nested attribute) fails every comparison: only null and nfinset pass it. */
    static boolean matches(ObjectNode row, SearchCriteria.Filter f) {
        JsonNode raw = row.get(f.field());
        String actual = raw == null || raw.isNull() || raw.isContainerNode() ? null : raw.asText();
        String v = f.value();
        return switch (f.condition()) {
            case "null" -> actual == null;
            case "notnull" -> actual != null;
            case "eq" -> actual != null && compare(actual, v) == 0;
            case "neq" -> actual != null && compare(actual, v) != 0;
            case "gt" -> actual != null && compare(actual, v) > 0;
            case "gteq", "moreq", "from" -> actual != null && compare(actual, v) >= 0;
            case "lt" -> actual != null && compare(actual, v) < 0;
            case "lteq", "to" -> actual != null && compare(actual, v) <= 0;
            case "like" -> actual != null && like(actual, v);
            case "nlike" -> actual != null && !like(actual, v);
            case "in" -> actual != null && list(v).stream().anyMatch(x -> compare(actual, x) == 0);
            case "nin" -> actual != null && list(v).stream().noneMatch(x -> compare(actual, x) == 0);
            case "finset" -> actual != null && list(actual).stream().anyMatch(x -> compare(x, v) == 0);
            case "nfinset" -> actual == null || list(actual).stream().noneMatch(x -> compare(x, v) == 0);
            default -> false;
        };
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
    }

    private static boolean like(String actual, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
                .matcher(actual).matches();
    }

    static int compareNullable(JsonNode a, JsonNode b) {
        String x = a == null || a.isNull() ? null : a.asText();
        String y = b == null || b.isNull() ? null : b.asText();
        if (x == null || y == null) {
            // MySQL sorts NULL first in ascending order.
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        return compare(x, y);
    }

    static int compare(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return a.compareToIgnoreCase(b);
    }

    private static BigDecimal number(String s) {
        if (s == null || s.isEmpty() || !s.matches("-?\\d+(\\.\\d+)?")) {
            return null;
        }
        return new BigDecimal(s);
    }
}
