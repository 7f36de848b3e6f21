package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.sandbox.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL: each store surface is synced by one of them at a time, and a node that stops
 * renewing its lease (killed, cut off) loses the surface to the other once the lease has run out. (Embedded H2
 * has one node: SyncLeases.local, and the runs SyncRuns keeps apart itself.)
 */
class SyncLeasesTest {
    static final Duration LEASE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    DatabaseSyncLeases nodeA;
    DatabaseSyncLeases nodeB;

    @BeforeEach
    void twoNodes() {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share a database only on PostgreSQL");
        DataSource db = TestDatabase.migrated(dir);
        nodeA = new DatabaseSyncLeases(db, clock, "node-a", LEASE);
        nodeB = new DatabaseSyncLeases(db, clock, "node-b", LEASE);
    }

    @Test
    void aSurfaceRunsOnOneNodeAtATimeAndIsFreeOnceItsRunEnded() {
        assertThat(nodeA.claim("shop", "customers")).isTrue();
        assertThat(nodeB.claim("shop", "customers")).as("node A's run is going").isFalse();
        assertThat(nodeB.claim("shop", "staff")).as("another surface is free").isTrue();
        assertThat(nodeA.claim("shop", "customers")).as("a second trigger on the same node").isTrue();

        nodeA.release("shop", "customers");

        assertThat(nodeB.claim("shop", "customers")).isTrue();
        assertThat(nodeA.orphaned()).isEmpty();
    }

    @Test
    void aNodeThatKeepsRenewingKeepsItsRunsPastTheLeaseLength() {
        assertThat(nodeA.claim("shop", "customers")).isTrue();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5));
            nodeA.renewHeld();
        }
        assertThat(nodeB.orphaned()).isEmpty();
        assertThat(nodeB.claim("shop", "customers")).isFalse();
    }

    @Test
    void aNodeThatStopsRenewingMidRunLosesItsRunToTheOtherOnceTheLeaseRanOut() {
        assertThat(nodeA.claim("shop", "customers")).isTrue();
        clock.advance(LEASE.minusSeconds(1));
        assertThat(nodeB.orphaned()).as("not yet: the lease still runs").isEmpty();

        clock.advance(Duration.ofSeconds(2));

        assertThat(nodeB.orphaned()).containsExactly(new SyncRetries.Due("shop", "customers"));
        assertThat(nodeB.claim("shop", "customers")).isTrue();
        assertThat(nodeB.orphaned()).isEmpty();
        nodeA.renewHeld();
        assertThat(nodeA.claim("shop", "customers")).as("node A came back: the run is node B's now").isFalse();
    }

    @Test
    void aNodeStoppingMidRunHandsTheRunOverAtOnce() {
        assertThat(nodeA.claim("shop", "customers")).isTrue();

        nodeA.handOver("shop", "customers");

        assertThat(nodeB.orphaned()).containsExactly(new SyncRetries.Due("shop", "customers"));
        assertThat(nodeB.claim("shop", "customers")).isTrue();
    }
}
