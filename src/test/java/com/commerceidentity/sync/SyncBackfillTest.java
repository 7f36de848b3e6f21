package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full backfill of each platform puts every account in the graph exactly once; a second run adds nothing. */
class SyncBackfillTest {
    static final int CUSTOMERS = 2000;
    @TempDir
    static Path dir;
    static SyncHarness sync;

    @BeforeAll
    static void start() throws Exception {
        sync = new SyncHarness(dir, Map.of(
                "sandbox.customers", Integer.toString(CUSTOMERS),
                "stores.magento-sandbox.budget.requests-per-second", "50",
                "stores.medusa-sandbox.budget.requests-per-second", "50"));
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    private void backfillsEveryCustomerOnce(String store) throws Exception {
        Map<String, Object> first = sync.run(store, "customers");
        assertThat(first).containsEntry("outcome", "completed");
        long records = (Long) first.get("records");
        assertThat(records).as("the store's own count, where the API gives one")
                .isEqualTo(first.getOrDefault("total", records)).isGreaterThanOrEqualTo(1500);
        assertThat((Long) first.get("pages")).isGreaterThan(3);
        Map<String, Integer> added = sync.accountsAdded(store);
        assertThat(added).hasSize((int) records);
        assertThat(added.values()).as("each account entered the graph once").containsOnly(1);

        Map<String, Object> again = sync.run(store, "customers");
        assertThat(again).containsEntry("outcome", "completed");
        assertThat((Map<?, ?>) again.get("events")).as("an incremental run over unchanged data").isEmpty();
        assertThat((Long) again.get("records")).as("only the overlap is read again").isLessThan(CUSTOMERS);
    }

    @Test
    void bigcommerce() throws Exception {
        backfillsEveryCustomerOnce("bigcommerce-sandbox");
    }

    /** The sandbox store signs with OAuth 1.0a (a stock store refuses the rest) and reads every website (rest/all). */
    @Test
    void magento() throws Exception {
        backfillsEveryCustomerOnce("magento-sandbox");
        com.commerceidentity.sandbox.Simulator sim = sync.simulator("magento-sandbox");
        assertThat(sync.accountsAdded("magento-sandbox"))
                .hasSize(sim.records().list(com.commerceidentity.sandbox.RecordControl.CUSTOMER).size());
        assertThat(sim.counters().toJson().toString()).doesNotContain("integration/admin/token");
    }

    @Test
    void medusa() throws Exception {
        backfillsEveryCustomerOnce("medusa-sandbox");
    }

    @Test
    void shopify() throws Exception {
        backfillsEveryCustomerOnce("shopify-sandbox");
    }
}
