package com.commerceidentity.budget;

import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.store.StoreConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one budget per store and API, created on first use from {@code stores.<id>.budget.*}. Every route that
 * calls a store goes through {@code direct:store-call}, which takes its permit here, so a poll, a webhook
 * follow-up and a reconciliation running at once share one allowance.
 */
public class RateBudgets {
    /** The lane of a platform that meters one API; a platform module may name others (see PlatformModule#lane). */
    public static final String REST = "rest";
    /** The lane whose answers carry GraphQL cost points (extensions.cost). */
    public static final String GRAPHQL = "graphql";

    private final Map<String, RateBudget> budgets = new ConcurrentHashMap<>();
    private final Supplier<MeterRegistry> meters;
    private final BudgetStore store;

    /**
     * @param meters where the budget meters go; asked when a budget is first used, after start-up, so it finds
     *               the Prometheus registry Camel's metrics service creates
     */
    public RateBudgets(Supplier<MeterRegistry> meters) {
        this(meters, BudgetStore.inProcess());
    }

    /** @param store where the budgets keep what they spent: this node's memory, or the database all nodes share */
    public RateBudgets(Supplier<MeterRegistry> meters, BudgetStore store) {
        this.meters = meters;
        this.store = store;
    }

    public RateBudget forStore(StoreConfig store, String lane) {
        return budgets.computeIfAbsent(store.id() + "/" + lane, k -> register(store, lane, create(store, lane, this.store)));
    }

    /** Each store's budgets as ops see them ({@code GET /stores/{id}/budget}); empty until the store was called. */
    public Map<String, Object> state(StoreConfig store) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("store", store.id());
        out.put("platform", store.platform().id());
        for (String lane : lanes(store)) {
            out.put(lane, forStore(store, lane).state());
        }
        return out;
    }

    static String[] lanes(StoreConfig store) {
        return PlatformModules.of(store.platform().id()).budgetPolicies().keySet().toArray(String[]::new);
    }

    static RateBudget create(StoreConfig store, String lane) {
        return create(store, lane, BudgetStore.inProcess());
    }

    static RateBudget create(StoreConfig store, String lane, BudgetStore shared) {
        String key = store.id() + "/" + lane;
        BudgetSettings s = new BudgetSettings(store, lane,
                PlatformModules.of(store.platform().id()).budgetDefaults(store, lane));
        String policy = s.text("policy", defaultPolicy(store, lane));
        return switch (policy) {
            case "rolling-window" -> shared.rollingWindow(key, (int) s.number("quota", 150), s.number("window-ms", 30_000));
            case "leaky-bucket" -> new LeakyBucketBudget(s.number("capacity", 40),
                    s.decimal("leak-per-second", 2),
                    (int) s.number("headroom", 1), (capacity, rate) -> shared.bucket(key, capacity, rate),
                    shared.pauseGate(key));
            case "cost-points" -> new CostPointsBudget(s.decimal("maximum-available", 1000),
                    s.decimal("restore-rate", 50), (capacity, rate) -> shared.bucket(key, capacity, rate),
                    shared.pauseGate(key));
            case "polite-cap" -> new PoliteCapBudget(s.decimal("requests-per-second", 10),
                    (int) s.number("burst", 1), (int) s.number("concurrency", 4),
                    (capacity, rate) -> shared.bucket(key, capacity, rate), shared.pauseGate(key));
            default -> throw new IllegalArgumentException(s.key("policy") + " = " + policy + " is not a policy; use"
                    + " rolling-window, leaky-bucket, cost-points or polite-cap");
        };
    }

    static String defaultPolicy(StoreConfig store, String lane) {
        java.util.Map<String, String> policies = PlatformModules.of(store.platform().id()).budgetPolicies();
        String policy = policies.get(lane);
        if (policy == null) {
            throw new IllegalArgumentException(store.platform().id() + " has no budget lane '" + lane + "'; it has "
                    + policies.keySet());
        }
        return policy;
    }

    private RateBudget register(StoreConfig store, String lane, RateBudget budget) {
        MeterRegistry registry = meters.get();
        if (registry == null) {
            return budget;
        }
        String[] tags = {"store", store.id(), "lane", lane, "policy", budget.policy()};
        Gauge.builder("store.budget.available", budget, b -> number(b.state().get("available")))
                .tags(tags).description("requests (or GraphQL points) the store's budget allows right now")
                .register(registry);
        FunctionCounter.builder("store.requests", budget, b -> number(b.state().get("requestsSent")))
                .tags(tags).description("requests sent to the store").register(registry);
        FunctionCounter.builder("store.rate.limited", budget, b -> number(b.state().get("rateLimited")))
                .tags(tags).description("429 or THROTTLED answers received").register(registry);
        return budget;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
