package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.RecordControl;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Assumptions;
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

    /**
     * Page n+1 is fetched while page n is ingested. When page n fails to commit, the watermark stays where page
     * n-1 left it, although page n+1 was already read; fetching stops, the next run picks up at page n and
     * nothing is lost.
     */
    @Test
    void aPageFetchedAheadOfAFailedCommitIsNotCountedAsCommitted() throws Exception {
        Map<String, String> s = settings();
        s.put("stores.medusa-sandbox.sync.customers.page-size", "10");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "100");
        // no read-ahead beyond the page being ingested, so exactly one page is fetched past the failing one
        s.put("app.sync.read-ahead-bytes", "1");
        String store = "medusa-sandbox";
        List<JsonNode> ordered;
        Map<String, Object> broken;
        Map<String, Integer> committed;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            var sim = first.simulator(store);
            ordered = liveCustomersInSyncOrder(first, store);
            AtomicInteger pages = new AtomicInteger();
            AdviceWith.adviceWith(first.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                    .before().process(ex -> {
                        if (pages.incrementAndGet() == 4) {
                            throw new IllegalStateException("graph store unavailable");
                        }
                    }));
            broken = first.run(store, "customers");
            assertThat(sim.counters().total()).as("pages 1-4 and page 5, fetched while page 4 was failing").isEqualTo(5);
            committed = first.accountsAdded(store);
        }
        assertThat(broken).containsEntry("outcome", "failed");
        assertThat((String) broken.get("message")).contains("graph store unavailable");
        // Three pages of ten, less the records each keyset page repeats at its start (read again from the
        // watermark, skipped as committed): the oldest n records, and the watermark at the newest of them.
        int n = ((Long) broken.get("records")).intValue();
        assertThat(n).isBetween(21, 30);
        assertThat(committed.keySet()).containsExactlyInAnyOrderElementsOf(ordered.subList(0, n).stream()
                .map(c -> "medusa:" + store + ":customer:" + c.get("id").asText()).toList());
        assertThat(broken).containsEntry("watermark", Instant.parse(ordered.get(n - 1).get("updated_at").asText()).toString());

        assertTheNextRunCompletesWithEveryCustomerOnce(s, store, ordered.size());
    }

    /**
     * Pages are mapped while earlier ones are in the graph writer, so when the graph refuses page n's batch,
     * later pages may already be queued behind it. They are not counted: the watermark stays where page n-1 left
     * it, and the next run reads on from there without loss or double counting.
     */
    @Test
    void aBatchTheGraphRefusesFailsTheRunAndPagesQueuedBehindItDoNotMoveTheWatermark() throws Exception {
        Map<String, String> s = settings();
        s.put("stores.medusa-sandbox.sync.customers.page-size", "10");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "200");
        String store = "medusa-sandbox";
        List<JsonNode> ordered;
        Map<String, Object> broken;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            ordered = liveCustomersInSyncOrder(first, store);
            AtomicInteger batches = new AtomicInteger();
            AdviceWith.adviceWith(first.app.context(), "resolve-and-publish", a -> a
                    .weaveByToString("Bean\\[ref:identityGraph method:apply\\]").before().process(ex -> {
                        if (batches.incrementAndGet() == 4) {
                            throw new IllegalStateException("graph store unavailable");
                        }
                    }));
            broken = first.run(store, "customers");
        }
        assertThat(broken).containsEntry("outcome", "failed");
        assertThat((String) broken.get("message")).contains("graph store unavailable");
        int n = ((Long) broken.get("records")).intValue();
        assertThat(n).as("three pages of ten, less the records each keyset page repeats").isBetween(21, 30);
        assertThat(broken).containsEntry("watermark", Instant.parse(ordered.get(n - 1).get("updated_at").asText()).toString());

        assertTheNextRunCompletesWithEveryCustomerOnce(s, store, ordered.size());
    }

    /**
     * A watermark vouches that every record before it is in the graph. A start that finds one saved after commits the
     * database no longer holds (a killed process once reopened embedded H2 with a run's last watermark but without
     * that run's last pages) reads the surface again from the beginning: every customer ends up added, once.
     */
    @Test
    void aWatermarkSavedAfterCommitsTheDatabaseLostIsForgottenAtTheNextStart() throws Exception {
        Assumptions.assumeFalse(TestDatabase.postgres(), "embedded H2 only: PostgreSQL's commits reach its disk in order");
        Map<String, String> s = settings();
        s.put("stores.medusa-sandbox.sync.customers.page-size", "10");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "200");
        String store = "medusa-sandbox";
        int customers;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            customers = liveCustomersInSyncOrder(first, store).size();
            assertThat(first.run(store, "customers")).containsEntry("outcome", "completed");
            assertThat(first.accountsAdded(store)).hasSize(customers);
            DataSource db = first.app.bean("dataSource", DataSource.class);
            long lost = loseCommitsAfter(db, first.app.bean("feedEventLog", FeedEventLog.class).maxSeq() / 2);
            assertThat(lost).as("customers whose commits are gone").isGreaterThan(customers / 4);
        }
        assertTheNextRunCompletesWithEveryCustomerOnce(s, store, customers);
    }

    /**
     * What the database held after that kill: the commits after {@code seq} gone (their accounts, the identities they
     * created, their events), the sync's watermark kept.
     *
     * @return the accounts removed
     */
    private static long loseCommitsAfter(DataSource db, long seq) throws Exception {
        try (Connection c = db.getConnection()) {
            long accounts = update(c, "DELETE FROM accounts WHERE account_key IN"
                    + " (SELECT account_key FROM feed_events WHERE seq > ?)", seq);
            update(c, "DELETE FROM identities WHERE id IN"
                    + " (SELECT identity_id FROM feed_events WHERE seq > ? AND event_type = 'identity.created')", seq);
            update(c, "DELETE FROM feed_snapshot WHERE seq > ?", seq);
            update(c, "DELETE FROM feed_events WHERE seq > ?", seq);
            return accounts;
        }
    }

    private static int update(Connection c, String sql, long seq) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seq);
            return ps.executeUpdate();
        }
    }

    /** The store's customers that are not deleted, in the order a keyset sync reads them (updated_at, id). */
    private static List<JsonNode> liveCustomersInSyncOrder(SyncHarness sync, String store) {
        return sync.simulator(store).records().list(RecordControl.CUSTOMER).stream()
                .filter(c -> c.get("deleted_at").isNull())
                .sorted(Comparator.comparing((JsonNode c) -> c.get("updated_at").asText())
                        .thenComparing(c -> c.get("id").asText()))
                .toList();
    }

    /** A restart's run picks up where the broken one stopped: every customer ends up added, and only once. */
    private void assertTheNextRunCompletesWithEveryCustomerOnce(Map<String, String> s, String store, int customers)
            throws Exception {
        try (SyncHarness second = new SyncHarness(dir, s)) {
            assertThat(second.run(store, "customers")).containsEntry("outcome", "completed");
            Map<String, Integer> added = second.accountsAdded(store);
            assertThat(added).hasSize(customers);
            assertThat(added.values()).containsOnly(1);
        }
    }

    @Test
    void aMagentoAdminTokenThatExpiresMidRunIsRenewedAndTheRunCompletes() throws Exception {
        Map<String, String> s = settings();
        s.put("sandbox.magento.adminTokenLifetimeSeconds", "1");
        s.put("sandbox.magento.latencyMillis", "150");
        s.put("stores.magento-sandbox.token-lifetime-minutes", "600"); // we believe it lasts; the store disagrees
        // the admin-token way: a store with two-factor auth off and an admin login configured
        s.put("sandbox.magento.twoFactorAuth", "false");
        s.put("stores.magento-sandbox.auth", "admin-token");
        s.put("stores.magento-sandbox.username", "admin");
        s.put("stores.magento-sandbox.password", "restart-test-pw");
        try (SyncHarness sync = new SyncHarness(dir, s)) {
            Map<String, Object> run = sync.run("magento-sandbox", "customers");
            assertThat(run).containsEntry("outcome", "completed");
            assertThat((Long) run.get("pages")).isGreaterThan(7); // > 1 s of 150 ms pages: the token expired
            assertThat(sync.accountsAdded("magento-sandbox")).hasSize(((Long) run.get("total")).intValue());
        }
    }
}
