package com.commerceidentity.observe;

import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests each store's budget let through per sampling interval, for the last few minutes: the status page's
 * chart. Sampled by the {@code status-budget-sample} route (routes/status-page.yaml); kept in memory only.
 */
public final class BudgetHistory {
    private final StoreRegistry stores;
    private final RateBudgets budgets;
    private final int keep;
    private final Map<String, Deque<Long>> perInterval = new ConcurrentHashMap<>();
    private final Map<String, Long> lastTotal = new ConcurrentHashMap<>();

    /** @param keep intervals kept per store (app.status.budget-samples) */
    public BudgetHistory(StoreRegistry stores, RateBudgets budgets, int keep) {
        if (keep < 2) {
            throw new IllegalArgumentException("app.status.budget-samples must be at least 2 but is " + keep);
        }
        this.stores = stores;
        this.budgets = budgets;
        this.keep = keep;
    }

    public int keep() {
        return keep;
    }

    /** Takes one sample of every store: the requests sent since the previous one. */
    public void sample() {
        for (StoreConfig store : stores.all()) {
            long total = requestsSent(store);
            Long before = lastTotal.put(store.id(), total);
            Deque<Long> series = perInterval.computeIfAbsent(store.id(), id -> new ArrayDeque<>());
            synchronized (series) {
                // the first sample counts from zero: requests made before it (a run at start-up) are not lost
                series.addLast(Math.max(0, total - (before == null ? 0 : before)));
                while (series.size() > keep) {
                    series.removeFirst();
                }
            }
        }
    }

    /** Requests per interval, oldest first; empty before the first sample. */
    public List<Long> series(String storeId) {
        Deque<Long> series = perInterval.get(storeId);
        if (series == null) {
            return List.of();
        }
        synchronized (series) {
            return new ArrayList<>(series);
        }
    }

    private long requestsSent(StoreConfig store) {
        long sum = 0;
        for (Object lane : budgets.state(store).values()) {
            if (lane instanceof Map<?, ?> state && state.get("requestsSent") instanceof Number n) {
                sum += n.longValue();
            }
        }
        return sum;
    }
}
