package com.commerceidentity.sandbox.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Medusa v2 admin list query as its {@code qs}/zod layer reads it: {@code offset}, {@code limit} (default 50),
 * {@code order} ({@code field} or {@code -field}), {@code q}, equality filters that take one value or a list
 * ({@code id=a&id=b}, {@code id[]=a}, {@code id[0]=a}), and date operators {@code updated_at[$gte]=...}
 * ({@code $eq $ne $gt $gte $lt $lte}). Unknown parameters are refused as Medusa's strict validator refuses them.
 */
final class MedusaQuery {
    static final int DEFAULT_LIMIT = 50;
    private static final Pattern BRACKETED = Pattern.compile("([a-z_]+)\\[([^\\]]*)]");
    private static final Set<String> DATE_FIELDS = Set.of("created_at", "updated_at");
    private static final Set<String> OPERATORS = Set.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte");

    /** The simulator answers 400 {@code {"type":"invalid_data","message":...}}. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    final int offset;
    final int limit;
    private final String orderField;
    private final boolean descending;
    private final List<Predicate<ObjectNode>> filters;

    private MedusaQuery(int offset, int limit, String orderField, boolean descending, List<Predicate<ObjectNode>> filters) {
        this.offset = offset;
        this.limit = limit;
        this.orderField = orderField;
        this.descending = descending;
        this.filters = filters;
    }

    /**
     * @param listFilters the equality filters this list accepts (e.g. id, email, has_account)
     * @param searchable  the fields {@code q} looks in
     */
    static MedusaQuery parse(Map<String, List<String>> params, Set<String> listFilters, List<String> searchable) {
        int offset = 0;
        int limit = DEFAULT_LIMIT;
        String order = null;
        List<Predicate<ObjectNode>> filters = new ArrayList<>();
        Map<String, Set<String>> equals = new java.util.LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue();
            String last = values.get(values.size() - 1);
            Matcher bracketed = BRACKETED.matcher(name);
            String base = bracketed.matches() ? bracketed.group(1) : name;
            String inner = bracketed.matches() ? bracketed.group(2) : null;
            switch (base) {
                case "offset" -> offset = number(last, "offset");
                case "limit" -> limit = number(last, "limit");
                case "order" -> order = last;
                case "fields" -> {
                    // Field selection changes only which keys are returned; every key is returned here.
                }
                case "q" -> {
                    String term = last.toLowerCase(Locale.ROOT);
                    filters.add(row -> searchable.stream().anyMatch(f -> row.hasNonNull(f)
                            && row.get(f).asText().toLowerCase(Locale.ROOT).contains(term)));
                }
                default -> {
                    if (DATE_FIELDS.contains(base) && inner != null && OPERATORS.contains(inner)) {
                        filters.add(dateFilter(base, inner, last));
                    } else if (listFilters.contains(base) && (inner == null || inner.isEmpty() || inner.matches("\\d+"))) {
                        equals.computeIfAbsent(base, k -> new LinkedHashSet<>()).addAll(values);
                    } else {
                        unknown.add(name);
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new Invalid("Invalid request: Unrecognized fields: " + String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList()));
        }
        equals.forEach((field, accepted) -> filters.add(row -> row.hasNonNull(field) && accepted.contains(row.get(field).asText())));
        boolean descending = order != null && order.startsWith("-");
        String field = order == null ? "created_at" : descending ? order.substring(1) : order;
        return new MedusaQuery(offset, limit, field, descending, filters);
    }

    private static int number(String text, String name) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 0) {
                throw new Invalid("Invalid request: Number must be greater than or equal to 0 at \"" + name + "\"");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new Invalid("Invalid request: Expected number, received nan at \"" + name + "\"");
        }
    }

    private static Predicate<ObjectNode> dateFilter(String field, String operator, String text) {
        Instant bound = instant(text, field + "[" + operator + "]");
        return row -> {
            if (!row.hasNonNull(field)) {
                return false;
            }
            int c = instant(row.get(field).asText(), field).compareTo(bound);
            return switch (operator) {
                case "$eq" -> c == 0;
                case "$ne" -> c != 0;
                case "$gt" -> c > 0;
                case "$gte" -> c >= 0;
                case "$lt" -> c < 0;
                default -> c <= 0;
            };
        };
    }

    static Instant instant(String text, String name) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new Invalid("Invalid request: Invalid date at \"" + name + "\"");
        }
    }

    record Page(List<ObjectNode> items, int count) {
    }

    /** The same filters and order from the first row, one row long: where a list currently starts. */
    MedusaQuery head() {
        return new MedusaQuery(0, 1, orderField, descending, filters);
    }

    /** Filters, orders (then by id, so equal keys page stably) and pages {@code rows}. */
    Page apply(List<ObjectNode> rows) {
        List<ObjectNode> matching = new ArrayList<>(rows.stream().filter(r -> filters.stream().allMatch(f -> f.test(r))).toList());
        Comparator<ObjectNode> byField = (a, b) -> compare(a.get(orderField), b.get(orderField));
        if (descending) {
            byField = byField.reversed();
        }
        matching.sort(byField.thenComparing(r -> r.get("id").asText()));
        int from = Math.min(offset, matching.size());
        return new Page(matching.subList(from, Math.min(matching.size(), from + limit)), matching.size());
    }

    private static int compare(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) {
            // PostgreSQL puts NULL last in ascending order.
            return aNull == bNull ? 0 : aNull ? 1 : -1;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.asText().compareTo(b.asText());
    }
}
