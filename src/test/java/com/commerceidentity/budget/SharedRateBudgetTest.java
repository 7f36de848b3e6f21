package com.commerceidentity.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.model.Platform;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.bigcommerce.BigCommerceSimulator;
import com.commerceidentity.store.StoreConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL call one store: they spend one budget, so the store never answers 429 however
 * their requests interleave. Each node's own budget (as on one node) would let both send a full window at once.
 */
class SharedRateBudgetTest {
    @TempDir
    Path dir;
    DataSource db;
    BigCommerceSimulator store;

    @BeforeEach
    void startDatabase() {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share a database only on PostgreSQL");
        db = TestDatabase.migrated(dir);
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    /** One node's budgets, as StoreBeans makes them on PostgreSQL. */
    RateBudgets node() {
        return new RateBudgets(() -> null, BudgetStore.postgres(db));
    }

    @Test
    void twoNodesSpendingOneBigCommerceStoresWindowDrawNo429() throws Exception {
        // 10 per second, so the test crosses several windows in a few seconds
        store = new BigCommerceSimulator(SandboxSettings.defaults().with("bigcommerce.customers", "5")
                .with("bigcommerce.quota", "10").with("bigcommerce.windowMillis", "1000"));
        store.start();
        StoreConfig config = new StoreConfig("bc", Platform.of("bigcommerce"), store.apiUrl(), store.accessToken(),
                null, null, null, null, true, Map.of("budget.quota", "10", "budget.window-ms", "1000"));
        List<RateBudget> nodes = List.of(node().forStore(config, RateBudgets.REST),
                node().forStore(config, RateBudgets.REST));
        AtomicInteger ok = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                RateBudget budget = nodes.get(i % 2); // three callers on each node
                calls.add(callers.submit(() -> {
                    call(budget, config);
                    ok.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(store.counters().tooManyRequests()).as("429s the store answered").isZero();
        assertThat(ok).hasValue(40);
        assertThat(nodes.get(0).state()).containsEntry("rateLimited", 0L);
    }

    @Test
    void twoNodesDrawOnOneLeakyBucket() throws Exception {
        // a bucket that, for this test's length, does not drain
        StoreConfig config = new StoreConfig("shop", Platform.of("shopify"), "http://127.0.0.1:1", "t", null, null,
                null, null, false, Map.of("budget.capacity", "6", "budget.leak-per-second", "0.001",
                "budget.headroom", "1"));
        RateBudget a = node().forStore(config, RateBudgets.REST);
        RateBudget b = node().forStore(config, RateBudgets.REST);
        for (int i = 0; i < 5; i++) {
            a.acquire(1);
        }
        assertThat(b.state()).as("node b sees what node a spent").containsEntry("available", 0L);
    }

    /** Shopify's leaky bucket and BigCommerce's rolling window: a Retry-After answered to one node holds both. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"shopify", "bigcommerce"})
    void aWaitTheStoreAsksOfOneNodeHoldsTheOtherNodeToo(String platform) throws Exception {
        StoreConfig config = new StoreConfig("store", Platform.of(platform), "http://127.0.0.1:1", "t", null, null,
                null, null, true, Map.of());
        RateBudget a = node().forStore(config, RateBudgets.REST);
        RateBudget b = node().forStore(config, RateBudgets.REST);
        long asked = System.nanoTime();
        a.observe(a.acquire(1), ResponseSignals.of(429, LimitSignals.retryAfter(Map.of("Retry-After", "3"))));

        assertThat(((Number) b.state().get("pausedForMillis")).longValue()).as("node b's budget state")
                .isBetween(1_000L, 3_000L);
        b.acquire(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked))
                .as("node b's next request waited out the Retry-After node a was answered").isGreaterThanOrEqualTo(2_900);
    }

    @Test
    void twoNodesSpendOneShopsGraphqlCostPoints() throws Exception {
        // restored slowly, so what node a spent still shows when node b looks
        StoreConfig config = new StoreConfig("shop", Platform.of("shopify"), "http://127.0.0.1:1", "t", null, null,
                null, null, false, Map.of("budget.graphql.maximum-available", "1000",
                "budget.graphql.restore-rate", "0.01"));
        RateBudget a = node().forStore(config, RateBudgets.GRAPHQL);
        RateBudget b = node().forStore(config, RateBudgets.GRAPHQL);
        a.acquire(900);

        assertThat(((Number) b.state().get("available")).longValue()).as("points node b sees left").isEqualTo(100);
    }

    /** One request the way StoreCalls sends it: a permit, the request, then the budget learns from the answer. */
    private static void call(RateBudget budget, StoreConfig config) throws InterruptedException {
        Permit permit = budget.acquire(1);
        HttpResponse<String> answer = Http.get(config.baseUrl() + "/customers", "X-Auth-Token", config.token());
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        answer.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
        budget.observe(permit, ResponseSignals.of(answer.statusCode(), PlatformModules.of("bigcommerce")
                .limitSignals(RateBudgets.REST, answer.statusCode(), headers, answer.body())));
    }
}
