package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.RecordControl;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backfill cut short resumes after a restart where its last committed page ended, and nothing is lost. */
class SyncRestartTest {
    @TempDir
    Path dir;

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "120");
        s.put("stores.bigcommerce-sandbox.sync.customers.page-size", "10");
        s.put("app.store-call.max-attempts", "2");
        s.put("stores.magento-sandbox.sync.customers.page-size", "10");
        s.put("stores.magento-sandbox.budget.requests-per-second", "100");
        return s;
    }

    @Test
    void aBackfillStoppedByAFailingStoreResumesAfterARestartWithoutStartingOver() throws Exception {
        long total;
        Map<String, Object> broken;
        try (SyncHarness first = new SyncHarness(dir, settings())) {
            total = first.simulator("bigcommerce-sandbox").records().list(RecordControl.CUSTOMER).size();
            var sim = first.simulator("bigcommerce-sandbox");
            // Slow pages give the test time to break the store for good after five of them.
            sim.faults().add(FaultType.SLOW, null, "*/v3/customers", 1000, 100, 0);
            var run = first.app.context().createProducerTemplate().asyncSend("direct:sync-run", ex -> {
                ex.getMessage().setHeader(com.commerceidentity.store.StoreCalls.STORE_ID, "bigcommerce-sandbox");
                ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
            });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> sim.counters().total() >= 5);
            sim.faults().add(FaultType.SERVER_ERROR, "*/v3/customers", 1000);
            run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            broken = first.app.bean("syncStatus", SyncStatus.class).lastRun("bigcommerce-sandbox", "customers");
        }
        assertThat(broken).containsEntry("outcome", "failed");
        assertThat((String) broken.get("message")).contains("HTTP 5");
        long before = (Long) broken.get("records");
        assertThat(before).isBetween(1L, total - 1);

        try (SyncHarness second = new SyncHarness(dir, settings())) {
            Map<String, Object> resumed = second.run("bigcommerce-sandbox", "customers");
            assertThat(resumed).containsEntry("outcome", "completed");
            assertThat((Long) resumed.get("records")).as("resumed, not started over")
                    .isLessThanOrEqualTo(total - before + 10);
            Map<String, Integer> added = second.accountsAdded("bigcommerce-sandbox");
            assertThat(added).hasSize((int) total);
            assertThat(added.values()).containsOnly(1);
        }
    }

    @Test
    void aMagentoAdminTokenThatExpiresMidRunIsRenewedAndTheRunCompletes() throws Exception {
        Map<String, String> s = settings();
        s.put("sandbox.magento.adminTokenLifetimeSeconds", "1");
        s.put("sandbox.magento.latencyMillis", "150");
        s.put("stores.magento-sandbox.token-lifetime-minutes", "600"); // we believe it lasts; the store disagrees
        try (SyncHarness sync = new SyncHarness(dir, s)) {
            Map<String, Object> run = sync.run("magento-sandbox", "customers");
            assertThat(run).containsEntry("outcome", "completed");
            assertThat((Long) run.get("pages")).isGreaterThan(7); // > 1 s of 150 ms pages: the token expired
            assertThat(sync.accountsAdded("magento-sandbox")).hasSize(((Long) run.get("total")).intValue());
        }
    }
}
