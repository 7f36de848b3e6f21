package com.commerceidentity.sandbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The rows of one list kept in one sort order whose ties are broken by a unique key, so that a list request finds
 * where its filter range starts by binary search and reads only its page: O(log n + page) instead of filtering and
 * sorting every row on each request.
 *
 * <p>A sorted array rather than a tree: the simulated APIs page by position ({@code offset}, {@code currentPage})
 * and report how many rows match, which an array answers by index arithmetic while a tree has to walk the range.
 * Writes come from the control API and tests, are rare, and pay one array copy each.
 *
 * <p>Not thread-safe: callers hold their simulator's lock. A row's sort key must not change while it is indexed
 * (remove it, change it, add it again).
 */
public final class OrderedIndex<T> {
    private final Comparator<? super T> order;
    private final ArrayList<T> rows = new ArrayList<>();

    public OrderedIndex(Comparator<? super T> order) {
        this.order = order;
    }

    /** Loads many rows at once (start-up seeding): one sort instead of one array copy per row. */
    public void addAll(Collection<? extends T> more) {
        rows.addAll(more);
        rows.sort(order);
        for (int i = 1; i < rows.size(); i++) {
            if (order.compare(rows.get(i - 1), rows.get(i)) == 0) {
                throw new IllegalArgumentException("two rows share one position in the order: " + rows.get(i));
            }
        }
    }

    public void add(T row) {
        int at = Collections.binarySearch(rows, row, order);
        if (at >= 0) {
            throw new IllegalArgumentException("a row already holds this position in the order: " + row);
        }
        rows.add(-at - 1, row);
    }

    /** Removes the row at {@code row}'s position; false when none is there. */
    public boolean remove(T row) {
        int at = Collections.binarySearch(rows, row, order);
        if (at < 0) {
            return false;
        }
        rows.remove(at);
        return true;
    }

    public int size() {
        return rows.size();
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), clamped to the index; a view, valid under the lock. */
    public List<T> slice(int from, int to) {
        int a = Math.max(0, Math.min(from, rows.size()));
        int b = Math.max(a, Math.min(to, rows.size()));
        return Collections.unmodifiableList(rows.subList(a, b));
    }

    /** Every row in order; a view, valid under the lock. */
    public List<T> rows() {
        return Collections.unmodifiableList(rows);
    }

    /**
     * The first position whose row satisfies {@code reached}, which must be false for a prefix of the order and true
     * for the rest (e.g. "updated at or after T" on an index ascending by update time); {@link #size()} when none.
     */
    public int firstWhere(Predicate<? super T> reached) {
        return firstWhere(rows, reached);
    }

    /** {@link #firstWhere(Predicate)} over any list sorted so that {@code reached} is false, then true. */
    public static <R> int firstWhere(List<R> rows, Predicate<? super R> reached) {
        int lo = 0;
        int hi = rows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (reached.test(rows.get(mid))) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
