package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of the app on one PostgreSQL and one BigCommerce store: the first starts the backfill, is stopped
 * mid-run, and the second finishes it. The feed holds every customer once, in one gap-free order, and the store
 * never answered 429.
 */
class TwoNodeSyncTest {
    static final int CUSTOMERS = 6000;

    @TempDir
    Path dir;

    @Test
    void theSurvivorFinishesABackfillTheStoppedNodeBeganAndTheFeedHoldsEveryCustomerOnce() throws Exception {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share a database only on PostgreSQL");
        Properties keys = new Properties();
        keys.setProperty("stores.bc.platform", "bigcommerce");
        keys.setProperty("stores.bc.base-url", "http://127.0.0.1:0/stores/abc123");
        keys.setProperty("stores.bc.sandbox", "true");
        StoreRegistry registry = StoreRegistry.load(keys, k -> Optional.ofNullable(keys.getProperty(k)));
        try (SandboxStores sandbox = SandboxStores.start(registry, SandboxSettings.defaults()
                .with("customers", Integer.toString(CUSTOMERS)).with("staff", "1")
                .with("bigcommerce.latency-ms", "150"))) {
            StoreConfig store = registry.get("bc").orElseThrow();
            Simulator simulator = sandbox.simulator("bc");
            Map<String, String> db = TestDatabase.appSettings(dir.resolve("db"));

            EmbeddedApp first = EmbeddedApp.start(node("node-a", store, db));
            try (EmbeddedApp second = node2(store, db, first)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> count(db, "SELECT COUNT(*) FROM feed_events") > 0);
                long beforeStop = count(db, "SELECT COUNT(*) FROM accounts");
                assertThat(beforeStop).as("node A is mid-backfill").isLessThan(CUSTOMERS);
                first.close();
                long byNodeA = count(db, "SELECT COUNT(*) FROM accounts");

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> count(db, "SELECT COUNT(*) FROM sync_state WHERE store_id = 'bc'"
                                + " AND surface = 'customers' AND backfill_done") == 1
                                && count(db, "SELECT COUNT(*) FROM sync_leases") == 0);

                List<Long> seqs = column(db, "SELECT seq FROM feed_events ORDER BY seq");
                assertThat(seqs).as("no gap and no duplicate seq")
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
                assertThat(count(db, "SELECT COUNT(*) FROM accounts WHERE account_key LIKE 'bigcommerce:bc:customer:%'"))
                        .isEqualTo(CUSTOMERS);
                assertThat(column(db, "SELECT COUNT(*) FROM feed_events WHERE event_type IN ('"
                        + FeedEvent.IDENTITY_CREATED + "', '" + FeedEvent.ACCOUNT_LINKED + "') GROUP BY account_key"))
                        .as("every customer announced once").hasSize(CUSTOMERS).containsOnly(1L);
                assertThat(simulator.counters().tooManyRequests()).as("answered 429").isZero();
                assertThat(second.bean("syncStatus", SyncStatus.class).lastRun("bc", "customers"))
                        .as("node B ran the rest").containsEntry("outcome", "completed");
                System.out.printf("two nodes: %d customers, %d events, node A had %d when stopped, %d once stopped;"
                        + " %d requests, %d answered 429%n", CUSTOMERS, seqs.size(), beforeStop, byNodeA,
                        simulator.counters().total(), simulator.counters().tooManyRequests());
            } finally {
                first.close();
            }
        }
    }

    /** Node B starts once node A's run holds the lease: its own start-up run is skipped, it waits for the orphan. */
    private EmbeddedApp node2(StoreConfig store, Map<String, String> db, EmbeddedApp first) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "SELECT COUNT(*) FROM sync_leases") == 1);
        return EmbeddedApp.start(node("node-b", store, db));
    }

    private Map<String, String> node(String id, StoreConfig store, Map<String, String> db) throws Exception {
        Map<String, String> s = new HashMap<>(db);
        s.put("app.data-dir", dir.resolve(id).resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve(id).resolve("inbox").toString());
        s.put("camel.server.port", Integer.toString(SyncHarness.freePort()));
        s.put("sandbox.enabled", "false");
        s.putAll(SandboxStores.onFreePorts());
        s.put("stores.bc.platform", "bigcommerce");
        s.put("stores.bc.base-url", store.baseUrl());
        s.put("stores.bc.token", store.token());
        s.put("stores.bc.sync.customers.page-size", "50");
        s.put("stores.bc.sync.max-in-flight", "1");
        s.put("stores.bc.sync.cron", "0 0 0 1 1 ? 2099");
        s.put("stores.bc.sync.reconcile-cron", "0 0 0 1 1 ? 2099");
        s.put("app.sync.run-at-start", "true");
        s.put("app.cluster.node-id", id);
        // node A is stopped, not left to finish its run: the run is abandoned after a second, as a killed node leaves it
        s.put("camel.main.shutdown-timeout", "1");
        // a loaded test machine can stall a thread for seconds: the lease allows for it, takeover after a stop is at once
        s.put("app.cluster.heartbeat-ms", "500");
        s.put("app.cluster.lease-seconds", "10");
        return s;
    }

    private static long count(Map<String, String> db, String sql) throws Exception {
        return column(db, sql).get(0);
    }

    private static List<Long> column(Map<String, String> db, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.get("app.db.url"), db.get("app.db.user"), "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
