package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OrderedIndex;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Magento's {@code searchCriteria} query: parsed from the bracketed query parameters (both the documented
 * snake_case {@code filter_groups}/{@code condition_type} and the swagger's camelCase
 * {@code filterGroups}/{@code conditionType}), applied as Magento applies it: filters inside a group OR,
 * groups AND, only top-level attributes, then sort, then page.
 *
 * <p>Values compare as MySQL compares them for Magento: see {@link MysqlComparison}.
 */
final class SearchCriteria {

    static final Set<String> CONDITIONS = Set.of("eq", "neq", "gt", "gteq", "moreq", "lt", "lteq", "like", "nlike",
            "in", "nin", "null", "notnull", "finset", "nfinset", "from", "to");

    private static final Pattern FILTER = Pattern.compile(
            "searchCriteria\\[(?:filter_groups|filterGroups)]\\[(\\d+)]\\[filters]\\[(\\d+)]\\[(field|value|condition_type|conditionType)]");
    private static final Pattern SORT = Pattern.compile(
            "searchCriteria\\[(?:sortOrders|sort_orders)]\\[(\\d+)]\\[(field|direction)]");
    private static final Pattern PAGE_SIZE = Pattern.compile("searchCriteria\\[(?:pageSize|page_size)]");
    private static final Pattern CURRENT_PAGE = Pattern.compile("searchCriteria\\[(?:currentPage|current_page)]");

    record Filter(String field, String value, String condition) {
    }

    record Sort(String field, boolean ascending) {
    }

    final List<List<Filter>> groups;
    final List<Sort> sorts;
    final Integer pageSize;
    final Integer currentPage;

    private SearchCriteria(List<List<Filter>> groups, List<Sort> sorts, Integer pageSize, Integer currentPage) {
        this.groups = groups;
        this.sorts = sorts;
        this.pageSize = pageSize;
        this.currentPage = currentPage;
    }

    /** Thrown with Magento's message template and its parameters; the simulator answers 400. */
    static final class Invalid extends RuntimeException {
        final ObjectNode body;

        Invalid(String template, Map<String, String> parameters) {
            super(template);
            body = Json.object().put("message", template);
            if (!parameters.isEmpty()) {
                ObjectNode p = body.putObject("parameters");
                parameters.forEach(p::put);
            }
        }
    }

    /** No filters, no sort, no paging: what {@code searchCriteria=} alone asks for. */
    private static SearchCriteria everything() {
        return new SearchCriteria(List.of(), List.of(), null, null);
    }

    /** The same filters and sort, first row only: where the result currently starts. */
    SearchCriteria firstRow() {
        return new SearchCriteria(groups, sorts, 1, 1);
    }

    /**
     * @param params query parameters as name → values
     * @param required whether {@code searchCriteria} must be present (it is for {@code /V1/customers/search})
     * @param maxPageSize the input limit (Magento's {@code webapi/validation/maximum_page_size}); 0 = none
     * @return the criteria; {@link #everything()} when absent and not required
     */
    /**
     * {@code entity_id} is the collection's key column, the name Magento's own examples filter and sort customers
     * by; the records it answers name it {@code id}.
     */
    private static String field(String name) {
        return "entity_id".equals(name) ? "id" : name;
    }

    static SearchCriteria parse(Map<String, List<String>> params, boolean required, int maxPageSize) {
        boolean present = params.keySet().stream().anyMatch(k -> k.equals("searchCriteria") || k.startsWith("searchCriteria["));
        if (!present) {
            if (required) {
                throw new Invalid("\"%fieldName\" is required. Enter and try again.", Map.of("fieldName", "searchCriteria"));
            }
            return everything();
        }
        TreeMap<Integer, TreeMap<Integer, String[]>> filters = new TreeMap<>();
        TreeMap<Integer, String[]> sorts = new TreeMap<>();
        Integer pageSize = null;
        Integer currentPage = null;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            String value = e.getValue().isEmpty() ? "" : e.getValue().get(e.getValue().size() - 1);
            Matcher m;
            if ((m = FILTER.matcher(name)).matches()) {
                String[] f = filters.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(m.group(2)), k -> new String[3]);
                switch (m.group(3)) {
                    case "field" -> f[0] = field(value);
                    case "value" -> f[1] = value;
                    default -> f[2] = value;
                }
            } else if ((m = SORT.matcher(name)).matches()) {
                String[] s = sorts.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new String[2]);
                s[m.group(2).equals("field") ? 0 : 1] = m.group(2).equals("field") ? field(value) : value;
            } else if (PAGE_SIZE.matcher(name).matches()) {
                pageSize = integer(value, "pageSize");
            } else if (CURRENT_PAGE.matcher(name).matches()) {
                currentPage = integer(value, "currentPage");
            }
        }
        if (pageSize != null && maxPageSize > 0 && pageSize > maxPageSize) {
            throw new Invalid("Maximum SearchCriteria pageSize is " + maxPageSize, Map.of());
        }
        List<List<Filter>> groups = new ArrayList<>();
        for (TreeMap<Integer, String[]> group : filters.values()) {
            List<Filter> list = new ArrayList<>();
            for (String[] f : group.values()) {
                if (f[0] == null || f[0].isBlank()) {
                    throw new Invalid("\"%fieldName\" is required. Enter and try again.", Map.of("fieldName", "field"));
                }
                String condition = f[2] == null || f[2].isBlank() ? "eq" : f[2].toLowerCase(Locale.ROOT);
                if (!CONDITIONS.contains(condition)) {
                    throw new Invalid("Invalid value of \"%value\" provided for the %fieldName field.",
                            Map.of("value", f[2], "fieldName", "condition_type"));
                }
                list.add(new Filter(f[0], f[1] == null ? "" : f[1], condition));
            }
            groups.add(list);
        }
        List<Sort> sortList = new ArrayList<>();
        for (String[] s : sorts.values()) {
            if (s[0] != null && !s[0].isBlank()) {
                // Magento's docs: a sort order without direction is descending.
                sortList.add(new Sort(s[0], s[1] != null && s[1].equalsIgnoreCase("ASC")));
            }
        }
        return new SearchCriteria(groups, sortList, pageSize, currentPage);
    }

    private static Integer integer(String value, String field) {
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new Invalid("The \"%value\" value's type is invalid. The \"%type\" type was expected. Verify and try again.",
                    Map.of("value", value, "type", "int"));
        }
    }

    /** The sort orders kept as {@link OrderedIndex}es, under {@link #orderKey}. */
    static final List<String> INDEXED_FIELDS = List.of("id", "created_at", "updated_at");
    /** Fields whose values are never numbers or null (Magento's dates), so a range filter on them is one range of their index. */
    private static final Set<String> DATE_FIELDS = Set.of("created_at", "updated_at");

    static String orderKey(String field, boolean ascending) {
        return field + (ascending ? " ASC" : " DESC");
    }

    /** The order one sort order gives, ties by id as Magento's id-ordered collection keeps them. */
    static Comparator<ObjectNode> order(String field, boolean ascending) {
        Comparator<ObjectNode> one = (a, b) -> MysqlComparison.compareNullable(a.get(field), b.get(field));
        return (ascending ? one : one.reversed()).thenComparingLong(r -> r.get("id").asLong());
    }

    /**
     * The search results body for the rows of one scope, given in every {@link #INDEXED_FIELDS} order. A single sort
     * order on an indexed field (or none: by id) reads that index: a filter group that is one range condition on the
     * sorted date field becomes a range found by binary search, other groups are tested along the range, and only
     * the requested page is copied. Other sorts (several orders, other fields) filter and sort here. The indexes
     * are read under {@code lock}; a sort works on a snapshot outside it, so writers and other requests go on.
     */
    ObjectNode apply(Map<String, OrderedIndex<ObjectNode>> orders, Object lock) {
        List<ObjectNode> snapshot;
        synchronized (lock) {
            OrderedIndex<ObjectNode> byId = orders.get(orderKey("id", true));
            OrderedIndex<ObjectNode> index = sorts.isEmpty() ? byId
                    : sorts.size() == 1 ? orders.get(orderKey(sorts.get(0).field(), sorts.get(0).ascending())) : null;
            if (index != null) {
                return indexed(index);
            }
            snapshot = List.copyOf(byId.rows());
        }
        return apply(snapshot, true);
    }

    private ObjectNode indexed(OrderedIndex<ObjectNode> index) {
        String field = sorts.isEmpty() ? "id" : sorts.get(0).field();
        boolean descending = !sorts.isEmpty() && !sorts.get(0).ascending();
        int from = 0;
        int to = index.size();
        List<List<Filter>> rest = new ArrayList<>();
        for (List<Filter> group : groups) {
            Filter f = group.size() == 1 ? group.get(0) : null;
            String c = f == null ? "" : f.condition();
            boolean lower = Set.of("eq", "gt", "gteq", "moreq", "from").contains(c);
            boolean upper = Set.of("eq", "lt", "lteq", "to").contains(c);
            if (!(lower || upper) || !f.field().equals(field) || !DATE_FIELDS.contains(field)) {
                rest.add(group);
                continue;
            }
            String v = f.value();
            // Ascending rows run oldest first, descending newest first; the bound cuts the range at one end.
            if (lower) {
                boolean inclusive = !c.equals("gt");
                int cut = index.firstWhere(descending
                        ? row -> inclusive ? vs(row, field, v) < 0 : vs(row, field, v) <= 0
                        : row -> inclusive ? vs(row, field, v) >= 0 : vs(row, field, v) > 0);
                if (descending) {
                    to = Math.min(to, cut);
                } else {
                    from = Math.max(from, cut);
                }
            }
            if (upper) {
                boolean inclusive = !c.equals("lt");
                int cut = index.firstWhere(descending
                        ? row -> inclusive ? vs(row, field, v) <= 0 : vs(row, field, v) < 0
                        : row -> inclusive ? vs(row, field, v) > 0 : vs(row, field, v) >= 0);
                if (descending) {
                    from = Math.max(from, cut);
                } else {
                    to = Math.min(to, cut);
                }
            }
        }
        List<ObjectNode> range = index.slice(from, to);
        if (rest.isEmpty()) {
            return answer(range, true);
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode row : range) {
            if (rest.stream().allMatch(group -> group.stream().anyMatch(f -> MysqlComparison.matches(row, f)))) {
                matching.add(row);
            }
        }
        return answer(matching, true);
    }

    private static int vs(ObjectNode row, String field, String value) {
        return MysqlComparison.compare(row.get(field).asText(), value);
    }

    /** Filters, sorts and pages {@code rows} (each ordered by id already); returns the search results body. */
    ObjectNode apply(List<ObjectNode> rows) {
        return apply(rows, false);
    }

    private ObjectNode apply(List<ObjectNode> rows, boolean copy) {
        List<ObjectNode> matching = rows.stream()
                .filter(row -> groups.stream().allMatch(group -> group.stream().anyMatch(f -> MysqlComparison.matches(row, f))))
                .collect(Collectors.toCollection(ArrayList::new));
        if (!sorts.isEmpty()) {
            Comparator<ObjectNode> order = null;
            for (Sort s : sorts) {
                Comparator<ObjectNode> one = (a, b) -> MysqlComparison.compareNullable(a.get(s.field()), b.get(s.field()));
                one = s.ascending() ? one : one.reversed();
                order = order == null ? one : order.thenComparing(one);
            }
            matching.sort(order);
        }
        return answer(matching, copy);
    }

    /** Pages the ordered matches; {@code copy} when they are the simulator's live rows. */
    private ObjectNode answer(List<ObjectNode> matching, boolean copy) {
        int total = matching.size();
        List<ObjectNode> page = matching;
        if (pageSize != null && pageSize > 0) {
            int lastPage = Math.max(1, (total + pageSize - 1) / pageSize);
            // Magento's collection clamps a page past the end to the last page instead of answering empty
            // (Magento\Framework\Data\Collection::getCurPage); a client that stops on an empty page loops.
            int current = Math.min(Math.max(1, currentPage == null ? 1 : currentPage), lastPage);
            int from = (current - 1) * pageSize;
            page = matching.subList(Math.min(from, total), Math.min(from + pageSize, total));
        }
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.forEach(row -> items.add(copy ? row.deepCopy() : row));
        body.set("search_criteria", echo());
        body.put("total_count", total);
        return body;
    }

    private ObjectNode echo() {
        ObjectNode sc = Json.object();
        ArrayNode fg = sc.putArray("filter_groups");
        for (List<Filter> group : groups) {
            ArrayNode fs = fg.addObject().putArray("filters");
            for (Filter f : group) {
                fs.addObject().put("field", f.field()).put("value", f.value()).put("condition_type", f.condition());
            }
        }
        if (!sorts.isEmpty()) {
            ArrayNode so = sc.putArray("sort_orders");
            sorts.forEach(s -> so.addObject().put("field", s.field()).put("direction", s.ascending() ? "ASC" : "DESC"));
        }
        if (pageSize != null) {
            sc.put("page_size", pageSize);
        }
        if (currentPage != null) {
            sc.put("current_page", currentPage);
        }
        return sc;
    }
}
