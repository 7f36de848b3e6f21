package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node's cron fires the daily reconcile of a store surface; on a PostgreSQL shared by several nodes one of
 * them lists the store, the others leave it be.
 */
class ReconcileOncePerClusterTest {
    static final String STORE = "bigcommerce-sandbox";
    @TempDir
    Path dir;
    SyncHarness sync;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share a database only on PostgreSQL");
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "20");
        sync = new SyncHarness(dir, s);
        assertThat(sync.run(STORE, "customers")).containsEntry("outcome", "completed");
    }

    @AfterEach
    void stop() {
        if (sync != null) {
            sync.close();
        }
    }

    long storeRequests() {
        return sync.simulator(STORE).counters().total();
    }

    @Test
    void aReconcileAnotherNodeIsRunningIsNotRunHereToo() throws Exception {
        DataSource db = sync.app.bean("dataSource", DataSource.class);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO sync_leases"
                + " (store_id, surface, holder, expires_at) VALUES (?, 'reconcile/customers', 'node-b', ?)")) {
            ps.setString(1, STORE);
            ps.setTimestamp(2, Timestamp.from(Instant.now().plusSeconds(60)));
            ps.executeUpdate();
        }
        long before = storeRequests();

        sync.reconcileAllowingFailure(STORE, "customers");

        assertThat(storeRequests()).as("requests to the store").isEqualTo(before);
        assertThat(sync.reconcileOf(STORE, "customers")).as("no reconcile ran on this node").isNull();
    }

    @Test
    void aNodeWhoseCronFiresJustAfterAnotherNodesReconcileFinishedDoesNotListTheStoreAgain() {
        Map<String, Object> first = sync.reconcile(STORE, "customers");
        assertThat(first).containsEntry("outcome", "completed").containsEntry("listed", 20);

        // node b, on the same database, a moment later (its clock a little behind, or its cron a little late)
        SyncLeases nodeB = new DatabaseSyncLeases(sync.app.bean("dataSource", DataSource.class), Clock.systemUTC(),
                "node-b", Duration.ofSeconds(20));
        assertThat(nodeB.claim(STORE, "reconcile/customers")).as("node b may run today's reconcile too").isFalse();
        assertThat(nodeB.orphaned()).as("not a run for another node to take over").isEmpty();
    }
}
