package com.commerceidentity.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.Latency;
import com.commerceidentity.sandbox.Simulator;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several requests in flight at once against a store that answers after a latency, while another app on the store
 * spends part of the same limit: the budget stays the only gate, and the store refuses nothing (issue #16, point
 * 4). Limits are scaled down (20 per 2 s instead of 150 per 30 s; 250 ms per answer, as a real store) to keep it quick; the shape
 * is a sync at the edge of its window with three pages in flight.
 */
class CoTenantInFlightTest {
    @TempDir
    static Path dir;
    static StoreCallHarness stores;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("stores.bc-inflight.platform", "bigcommerce");
        s.put("stores.bc-inflight.base-url", "http://127.0.0.1:0/stores/bcinflight");
        s.put("stores.bc-inflight.sandbox", "true");
        s.put("sandbox.bigcommerce.quota", "20");
        s.put("sandbox.bigcommerce.windowMillis", "2000");
        s.put("stores.shop-inflight.platform", "shopify");
        s.put("stores.shop-inflight.base-url", "http://127.0.0.1:0");
        s.put("stores.shop-inflight.sandbox", "true");
        s.put("sandbox.shopify.bucketCapacity", "8");
        s.put("sandbox.shopify.leakPerSecond", "4");
        s.put("stores.shop-inflight.budget.leak-per-second", "4");
        stores = new StoreCallHarness(dir, s);
    }

    @AfterAll
    static void stop() {
        stores.close();
    }

    /** {@code callers} threads each sending {@code each} GETs through the store's budget, all at once. */
    private void inFlight(String store, String path, int callers, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        assertThat(StoreCallHarness.status(stores.get(store, path, "limit=1"))).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threeBigCommerceRequestsInFlightBesideAnotherAppDrawNo429() throws Exception {
        assertThat(rateLimitedBesideCoTenant("bc-inflight", "/v3/customers", 4, 30)).as("429s the store sent").isZero();
    }

    @Test
    void threeShopifyRequestsInFlightBesideAnotherAppDrawNo429() throws Exception {
        assertThat(rateLimitedBesideCoTenant("shop-inflight", "/admin/api/2025-07/customers.json", 1.5, 10))
                .as("429s the store sent").isZero();
    }

    /** 429s the store sent while three requests at a time (250 ms each) shared its budget with another app's. */
    private long rateLimitedBesideCoTenant(String storeId, String path, double coTenantRps, int requests)
            throws Exception {
        Simulator sim = stores.simulatorOf(storeId);
        sim.latency(Latency.parse("250", 1));
        long before = sim.counters().tooManyRequests();
        sim.configure(json.createObjectNode().put("coTenantRequestsPerSecond", coTenantRps));
        try {
            inFlight(storeId, path, 3, requests);
        } finally {
            sim.configure(json.createObjectNode().put("coTenantRequestsPerSecond", 0));
        }
        return sim.counters().tooManyRequests() - before;
    }
}
