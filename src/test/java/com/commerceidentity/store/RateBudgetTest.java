package com.commerceidentity.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every store keeps inside its published budget, shared by every caller, learning from the platform's headers;
 * a 429 is retried after exactly the wait it states and loses nothing. Limits are scaled down (10 per second
 * instead of 150 per 30 s) to keep the suite quick; the shape is the same.
 */
@SuppressWarnings("unchecked")
class RateBudgetTest {
    @TempDir
    static Path dir;
    static StoreCallHarness stores;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.bigcommerce.quota", "10");
        s.put("sandbox.bigcommerce.windowMillis", "1000");
        s.put("sandbox.shopify.bucketCapacity", "8");
        s.put("sandbox.shopify.leakPerSecond", "4");
        s.put("sandbox.shopify.graphqlMaximumAvailable", "60");
        s.put("sandbox.shopify.graphqlRestoreRate", "40");
        s.put("stores.shopify-sandbox.budget.leak-per-second", "4");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "5");
        for (String id : new String[] {"bc-cotenant", "bc-faults"}) {
            s.put("stores." + id + ".platform", "bigcommerce");
            s.put("stores." + id + ".base-url", "http://127.0.0.1:0/stores/" + id.replace("-", ""));
            s.put("stores." + id + ".sandbox", "true");
        }
        s.put("stores.shop-cotenant.platform", "shopify");
        s.put("stores.shop-cotenant.base-url", "http://127.0.0.1:0");
        s.put("stores.shop-cotenant.sandbox", "true");
        s.put("stores.shop-cotenant.budget.leak-per-second", "4");
        stores = new StoreCallHarness(dir, s);
    }

    @AfterAll
    static void stop() {
        stores.close();
    }

    private void getAll(String store, String path, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(StoreCallHarness.status(stores.get(store, path, "limit=1"))).isEqualTo(200);
        }
    }

    @Test
    void aSteadyBigCommerceRunNeverSeesA429() {
        long before = stores.simulator("bigcommerce").counters().tooManyRequests();
        long started = System.nanoTime();
        getAll("bigcommerce-sandbox", "/v3/customers", 35);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(stores.simulator("bigcommerce").counters().tooManyRequests() - before).isZero();
        assertThat(millis).as("35 requests at 10 per second cannot take less than 3 windows").isGreaterThanOrEqualTo(3000);
        assertThat(stores.budget("bigcommerce-sandbox").toString()).contains("quota=10", "windowMillis=1000");
    }

    @Test
    void twoRoutesCallingOneStoreTogetherShareOneBudget() throws Exception {
        long before = stores.simulatorOf("bc-faults").counters().tooManyRequests();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                both.add(pool.submit(() -> getAll("bc-faults", "/v3/customers", 15)));
            }
            for (Future<?> f : both) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stores.simulatorOf("bc-faults").counters().tooManyRequests() - before).isZero();
    }

    @Test
    void anotherAppSpendingTheBigCommerceQuotaIsRespectedFromItsFirstSighting() {
        Simulator sim = stores.simulatorOf("bc-cotenant");
        long before = sim.counters().tooManyRequests();
        sim.configure(json.createObjectNode().put("coTenantRequestsPerSecond", 4));
        try {
            getAll("bc-cotenant", "/v3/customers", 30);
        } finally {
            sim.configure(json.createObjectNode().put("coTenantRequestsPerSecond", 0));
        }
        assertThat(sim.counters().tooManyRequests() - before).isZero();
        assertThat((Map<String, Object>) stores.budget("bc-cotenant").get("rest")).containsKey("heldForOtherApps");
    }

    @Test
    void aBigCommerce429IsRetriedAfterTheStatedResetAndThePageArrives() {
        Simulator sim = stores.simulatorOf("bc-faults");
        sim.faults().add(FaultType.RATE_LIMIT, "*/v3/customers", 1);
        long started = System.nanoTime();
        Exchange answer = stores.get("bc-faults", "/v3/customers", "limit=2");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(answer.getProperty(StoreCalls.RATE_LIMITED, Integer.class)).isEqualTo(1);
        assertThat(millis).as("X-Rate-Limit-Time-Reset-Ms said 1000").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aBigCommerce500AfterA429CostsABackOffNotASecondWindow() {
        Simulator sim = stores.simulatorOf("bc-faults");
        // a warm connection, so the time measured is the waits
        assertThat(StoreCallHarness.status(stores.get("bc-faults", "/v3/customers", "limit=1"))).isEqualTo(200);
        sim.faults().add(FaultType.RATE_LIMIT, "*/v3/customers", 1);
        sim.faults().add(FaultType.SERVER_ERROR, "GET", "*/v3/customers", 1, 0, 500);
        long started = System.nanoTime();
        Exchange answer = stores.get("bc-faults", "/v3/customers", "limit=2");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(answer.getProperty(StoreCalls.RATE_LIMITED, Integer.class)).isEqualTo(1);
        assertThat(answer.getProperty(StoreCalls.ATTEMPTS, Integer.class)).isEqualTo(3);
        assertThat(millis).as("the 429's reset (1000 ms), then a back-off of about 20 ms, not a second window")
                .isBetween(1000L, 1700L);
    }

    @Test
    void aBigCommerce429WithoutHeadersMeansOverloadAndBacksOffUntilAnswered() {
        Simulator sim = stores.simulatorOf("bc-faults");
        sim.configure(json.createObjectNode().put("overloadNext", 2));
        Exchange answer = stores.get("bc-faults", "/v3/customers", "limit=2");
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(answer.getProperty(StoreCalls.RATE_LIMITED, Integer.class)).isEqualTo(2);
    }

    @Test
    void shopifyRestStaysInsideTheLeakyBucketAndLearnsItsSizeFromTheHeader() {
        long before = stores.simulator("shopify").counters().tooManyRequests();
        getAll("shopify-sandbox", "/admin/api/2025-07/customers.json", 30);
        assertThat(stores.simulator("shopify").counters().tooManyRequests() - before).isZero();
        assertThat((Map<String, Object>) stores.budget("shopify-sandbox").get("rest")).containsEntry("capacity", 8L);
    }

    @Test
    void anotherAppDrainingTheShopifyBucketIsRespected() {
        Simulator sim = stores.simulatorOf("shop-cotenant");
        long before = sim.counters().tooManyRequests();
        sim.configure(json.createObjectNode().put("coTenantRequestsPerSecond", 1.5));
        try {
            getAll("shop-cotenant", "/admin/api/2025-07/customers.json", 25);
        } finally {
            sim.configure(json.createObjectNode().put("coTenantRequestsPerSecond", 0));
        }
        assertThat(sim.counters().tooManyRequests() - before).isZero();
    }

    @Test
    void aShopify429WaitsItsRetryAfterAndRetriesTheSameRequest() {
        Simulator sim = stores.simulatorOf("shop-cotenant");
        sim.faults().add(FaultType.RATE_LIMIT, "/admin/api/*/customers.json", 1);
        Exchange answer = stores.get("shop-cotenant", "/admin/api/2025-07/customers.json", "limit=3");
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(answer.getProperty(StoreCalls.RATE_LIMITED, Integer.class)).isEqualTo(1);
        assertThat(answer.getProperty(StoreCalls.ATTEMPTS, Integer.class)).isEqualTo(2);
    }

    @Test
    void graphqlQueriesReserveTheirCostAndAreNeverThrottled() throws Exception {
        String query = "{\"query\":\"{ staffMembers(first: 10) { edges { node { id email } } pageInfo { hasNextPage endCursor } } }\"}";
        for (int i = 0; i < 15; i++) {
            Exchange answer = stores.post("shopify-sandbox", "/admin/api/2025-07/graphql.json", query, 12);
            assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
            JsonNode body = json.readTree(answer.getMessage().getBody(String.class));
            assertThat(body.has("errors")).as(body.toString()).isFalse();
        }
        @SuppressWarnings("unchecked") Map<String, Object> graphql = (Map<String, Object>) stores.budget("shopify-sandbox").get("graphql");
        assertThat(graphql).containsEntry("rateLimited", 0L).containsEntry("maximumAvailable", 60.0)
                .containsEntry("restoreRate", 40.0);
    }

    @Test
    void aConfiguredPoliteCapPacesMedusa() {
        long started = System.nanoTime();
        getAll("medusa-sandbox", "/admin/customers", 11);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(millis).as("stores.medusa-sandbox.budget.requests-per-second=5: 10 gaps of 200 ms")
                .isGreaterThanOrEqualTo(1900);
    }
}
