package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.OrderedIndex;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The store's customers by id and in every sortable order ({@code id}, {@code date_created},
 * {@code date_modified}, {@code last_name}; ties by id), so that a list request reads its page instead of
 * filtering and sorting every customer. A descending sort reads its field's ascending index backwards. Date
 * bounds on the sorted field cut the index by binary search; the other filters are tested along that range, and
 * only then is the range counted for {@code meta.pagination.total}. {@code id:in} looks its ids up.
 *
 * <p>Not thread-safe: {@link BigCommerceStore} holds its lock around every call, and the rows returned are the
 * live customers.
 */
final class CustomerIndex {

    static final List<String> SORT_FIELDS = List.of("id", "date_created", "date_modified", "last_name");

    record Page(List<BigCommerceCustomer> rows, int total) {
    }

    record CursorPage(List<BigCommerceCustomer> rows, boolean hasPrevious, boolean hasNext) {
    }

    /** The rows a filter's range covers, in the filter's order, and what each still has to pass (null: nothing). */
    private record Matching(List<BigCommerceCustomer> rows, Predicate<BigCommerceCustomer> rest) {
        boolean accepts(BigCommerceCustomer c) {
            return rest == null || rest.test(c);
        }

        /** Whether a row of {@code rows[from, to)} is accepted. */
        boolean any(int from, int to) {
            if (rest == null) {
                return from < to;
            }
            for (int i = from; i < to; i++) {
                if (rest.test(rows.get(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final TreeMap<Integer, BigCommerceCustomer> byId = new TreeMap<>();
    private final Map<String, OrderedIndex<BigCommerceCustomer>> byField = new LinkedHashMap<>();

    CustomerIndex() {
        SORT_FIELDS.forEach(f -> byField.put(f, new OrderedIndex<>(CustomerFilter.comparator(f + ":asc"))));
    }

    void addAll(Collection<BigCommerceCustomer> customers) {
        customers.forEach(c -> byId.put(c.id, c));
        byField.values().forEach(index -> index.addAll(customers));
    }

    void add(BigCommerceCustomer c) {
        byId.put(c.id, c);
        byField.values().forEach(index -> index.add(c));
    }

    Optional<BigCommerceCustomer> remove(int id) {
        BigCommerceCustomer c = byId.remove(id);
        if (c != null) {
            byField.values().forEach(index -> index.remove(c));
        }
        return Optional.ofNullable(c);
    }

    BigCommerceCustomer get(int id) {
        return byId.get(id);
    }

    /** Every customer by id; a live view. */
    Collection<BigCommerceCustomer> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /**
     * Applies {@code edit} to an indexed customer. The indexes find a row by its sort keys, so it leaves them under
     * its old keys and comes back under its new ones.
     */
    void change(BigCommerceCustomer c, Consumer<BigCommerceCustomer> edit) {
        byField.values().forEach(index -> index.remove(c));
        try {
            edit.accept(c);
        } finally {
            byField.values().forEach(index -> index.add(c));
        }
    }

    /** Page {@code page} (from 1) of {@code limit} rows and how many rows match in all. */
    Page page(CustomerFilter filter, int page, int limit) {
        Matching m = matching(filter);
        long skip = (long) (page - 1) * limit;
        if (m.rest() == null) {
            int total = m.rows().size();
            int from = (int) Math.min(skip, total);
            return new Page(new ArrayList<>(m.rows().subList(from, (int) Math.min((long) from + limit, total))), total);
        }
        List<BigCommerceCustomer> rows = new ArrayList<>();
        int total = 0;
        for (BigCommerceCustomer c : m.rows()) {
            if (m.rest().test(c)) {
                if (total >= skip && rows.size() < limit) {
                    rows.add(c);
                }
                total++;
            }
        }
        return new Page(rows, total);
    }

    /**
     * Up to {@code limit} matching rows right after {@code anchor} in the filter's order ({@code after}), or right
     * before it; whether matching rows lie before and after them. The anchor need not be a row any more.
     */
    CursorPage cursor(CustomerFilter filter, BigCommerceCustomer anchor, boolean after, int limit) {
        Matching m = matching(filter);
        List<BigCommerceCustomer> rows = m.rows();
        // Rows past the anchor (after) or not before it: a suffix of the filter's order either way.
        int k = OrderedIndex.firstWhere(rows, c -> after ? filter.order.compare(c, anchor) > 0 : filter.order.compare(c, anchor) >= 0);
        List<BigCommerceCustomer> slice = new ArrayList<>();
        if (after) {
            int i = k;
            for (; i < rows.size() && slice.size() < limit; i++) {
                if (m.accepts(rows.get(i))) {
                    slice.add(rows.get(i));
                }
            }
            return new CursorPage(slice, m.any(0, k), m.any(i, rows.size()));
        }
        int i = k - 1;
        for (; i >= 0 && slice.size() < limit; i--) {
            if (m.accepts(rows.get(i))) {
                slice.add(rows.get(i));
            }
        }
        Collections.reverse(slice);
        return new CursorPage(slice, m.any(0, i + 1), m.any(k, rows.size()));
    }

    /** The first matching row in the filter's order. */
    Optional<BigCommerceCustomer> first(CustomerFilter filter) {
        Matching m = matching(filter);
        return m.rows().stream().filter(m::accepts).findFirst();
    }

    private Matching matching(CustomerFilter filter) {
        if (filter.ids != null) {
            List<BigCommerceCustomer> found = new ArrayList<>();
            for (int id : filter.ids) {
                BigCommerceCustomer c = byId.get(id);
                if (c != null && filter.matches(c)) {
                    found.add(c);
                }
            }
            found.sort(filter.order);
            return new Matching(found, null);
        }
        OrderedIndex<BigCommerceCustomer> index = byField.get(filter.sortField);
        int from = 0;
        int to = index.size();
        List<CustomerFilter.DateBound> tested = new ArrayList<>();
        for (CustomerFilter.DateBound b : filter.bounds) {
            if (!b.field().equals(filter.sortField)) {
                tested.add(b);
            } else if (b.kind() == CustomerFilter.DateBound.Kind.AT_LEAST) {
                // The index ascends by this field: rows below the bound form a prefix, rows above one a suffix.
                from = Math.max(from, index.firstWhere(b::test));
            } else {
                to = Math.min(to, index.firstWhere(c -> !b.test(c)));
            }
        }
        Predicate<BigCommerceCustomer> rest = null;
        if (filter.hasOthers() || !tested.isEmpty()) {
            rest = c -> filter.matchesOthers(c) && tested.stream().allMatch(b -> b.test(c));
        }
        List<BigCommerceCustomer> range = index.slice(from, to);
        return new Matching(filter.descending ? backwards(range) : range, rest);
    }

    private static List<BigCommerceCustomer> backwards(List<BigCommerceCustomer> rows) {
        return new AbstractList<>() {
            @Override
            public BigCommerceCustomer get(int i) {
                return rows.get(rows.size() - 1 - i);
            }

            @Override
            public int size() {
                return rows.size();
            }
        };
    }
}
