package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.OrderedIndex;
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

    /** The lists' sort orders kept as {@link OrderedIndex}es: {@code field} ascending and {@code -field} descending. */
    static final List<String> INDEXED_ORDERS = List.of("id", "-id", "created_at", "-created_at", "updated_at", "-updated_at");

    /** One {@code created_at|updated_at[$op]=...} filter. */
    private record DateBound(String field, String operator, Instant bound) {
        boolean test(ObjectNode row) {
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
        }
    }

    final int offset;
    final int limit;
    private final String orderField;
    private final boolean descending;
    private final List<Predicate<ObjectNode>> filters;
    private final List<DateBound> dateBounds;

    private MedusaQuery(int offset, int limit, String orderField, boolean descending, List<Predicate<ObjectNode>> filters,
                        List<DateBound> dateBounds) {
        this.offset = offset;
        this.limit = limit;
        this.orderField = orderField;
        this.descending = descending;
        this.filters = filters;
        this.dateBounds = dateBounds;
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
        List<DateBound> dateBounds = new ArrayList<>();
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
                        dateBounds.add(new DateBound(base, inner, instant(last, base + "[" + inner + "]")));
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
        return new MedusaQuery(offset, limit, field, descending, filters, dateBounds);
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
        return new MedusaQuery(0, 1, orderField, descending, filters, dateBounds);
    }

    /**
     * Filters, orders (then by id, so equal keys page stably) and pages the visible rows, given as
     * {@link #INDEXED_ORDERS}. Where the order is indexed, date filters on the order's own field become a range of
     * the index found by binary search and only the page is read (or, with other filters too, the range is
     * walked); any other order is sorted here, as rare queries (e.g. {@code order=email}) can afford. The indexes
     * are read under {@code lock}; a sort works on a snapshot outside it, so writers and other requests go on.
     */
    Page apply(Map<String, OrderedIndex<ObjectNode>> orders, Object lock) {
        List<ObjectNode> snapshot;
        synchronized (lock) {
            OrderedIndex<ObjectNode> index = orders.get((descending ? "-" : "") + orderField);
            if (index != null) {
                return indexed(index);
            }
            snapshot = List.copyOf(orders.get("id").rows());
        }
        return sorted(snapshot);
    }

    private Page indexed(OrderedIndex<ObjectNode> index) {
        int from = 0;
        int to = index.size();
        List<Predicate<ObjectNode>> rest = new ArrayList<>(filters);
        for (DateBound b : dateBounds) {
            if (!b.field().equals(orderField) || b.operator().equals("$ne")) {
                rest.add(b::test);
                continue;
            }
            // Rows run oldest first ascending, newest first descending; the bound cuts the range at one end.
            boolean lower = b.operator().equals("$eq") || b.operator().startsWith("$gt");
            boolean upper = b.operator().equals("$eq") || b.operator().startsWith("$lt");
            boolean inclusiveLower = !b.operator().equals("$gt");
            boolean inclusiveUpper = !b.operator().equals("$lt");
            if (lower) {
                int cut = index.firstWhere(descending
                        ? row -> inclusiveLower ? at(row, b) < 0 : at(row, b) <= 0
                        : row -> inclusiveLower ? at(row, b) >= 0 : at(row, b) > 0);
                if (descending) {
                    to = Math.min(to, cut);
                } else {
                    from = Math.max(from, cut);
                }
            }
            if (upper) {
                int cut = index.firstWhere(descending
                        ? row -> inclusiveUpper ? at(row, b) <= 0 : at(row, b) < 0
                        : row -> inclusiveUpper ? at(row, b) > 0 : at(row, b) >= 0);
                if (descending) {
                    from = Math.max(from, cut);
                } else {
                    to = Math.min(to, cut);
                }
            }
        }
        if (from >= to) {
            return new Page(List.of(), 0);
        }
        if (rest.isEmpty()) {
            long start = (long) from + offset;
            return new Page(copies(index.slice((int) Math.min(start, to), (int) Math.min(start + limit, to))), to - from);
        }
        List<ObjectNode> items = new ArrayList<>();
        int count = 0;
        for (ObjectNode row : index.slice(from, to)) {
            if (rest.stream().allMatch(f -> f.test(row))) {
                if (count >= offset && items.size() < limit) {
                    items.add(row.deepCopy());
                }
                count++;
            }
        }
        return new Page(items, count);
    }

    /** The row's time on the bound's field compared with the bound (indexed date fields are never null). */
    private static int at(ObjectNode row, DateBound b) {
        return instant(row.get(b.field()).asText(), b.field()).compareTo(b.bound());
    }

    private Page sorted(List<ObjectNode> rows) {
        List<ObjectNode> matching = new ArrayList<>(rows.stream().filter(r -> filters.stream().allMatch(f -> f.test(r))
                && dateBounds.stream().allMatch(b -> b.test(r))).toList());
        matching.sort(order((descending ? "-" : "") + orderField));
        int from = Math.min(offset, matching.size());
        return new Page(copies(matching.subList(from, (int) Math.min(matching.size(), (long) from + limit))), matching.size());
    }

    private static List<ObjectNode> copies(List<ObjectNode> rows) {
        return rows.stream().map(ObjectNode::deepCopy).toList();
    }

    /**
     * The order of {@code order=field} (or {@code -field}), ties by id ascending either way so equal keys page
     * stably; missing values last in ascending order, as PostgreSQL sorts NULL.
     */
    static Comparator<ObjectNode> order(String order) {
        boolean desc = order.startsWith("-");
        String field = desc ? order.substring(1) : order;
        Comparator<ObjectNode> byField = (a, b) -> compare(a.get(field), b.get(field));
        if (desc) {
            byField = byField.reversed();
        }
        return field.equals("id") ? byField : byField.thenComparing(r -> r.get("id").asText());
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
