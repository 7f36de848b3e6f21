package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.MutableClock;
import com.commerceidentity.db.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed's own jobs (the Kafka sink, retention) on two nodes sharing one PostgreSQL: one node runs them at a
 * time, the other takes them over when the first stops or dies, and a node that lost them while paused stops.
 */
class ClusterJobsTest {
    static final Duration LEASE = Duration.ofSeconds(20);
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    DatabaseSyncLeases leasesA;
    DatabaseSyncLeases leasesB;
    ClusterJobs nodeA;
    ClusterJobs nodeB;

    @BeforeEach
    void twoNodes() {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share a database only on PostgreSQL");
        DataSource db = TestDatabase.migrated(dir);
        leasesA = new DatabaseSyncLeases(db, clock, "node-a", LEASE);
        leasesB = new DatabaseSyncLeases(db, clock, "node-b", LEASE);
        nodeA = new ClusterJobs(leasesA, clock, HEARTBEAT);
        nodeB = new ClusterJobs(leasesB, clock, HEARTBEAT);
    }

    @Test
    void oneNodeRunsTheFeedJobsWhileItKeepsItsLease() {
        assertThat(nodeA.owns("feed")).isTrue();
        for (int i = 0; i < 10; i++) {
            clock.advance(HEARTBEAT);
            leasesA.renewHeld();
            assertThat(nodeA.owns("feed")).isTrue();
            assertThat(nodeB.owns("feed")).as("node B, %d s on", (i + 1) * 5).isFalse();
        }
    }

    @Test
    void anotherNodeTakesTheJobsOverOnceTheHolderStopsRenewingAndThePausedHolderStopsSending() {
        assertThat(nodeA.owns("feed")).isTrue();
        // node A pauses (a long GC, a frozen VM): no heartbeat, no batch
        clock.advance(LEASE.plusSeconds(1));
        assertThat(nodeB.owns("feed")).as("node B after node A's lease ran out").isTrue();
        assertThat(nodeA.owns("feed")).as("node A, back from its pause, before its next batch").isFalse();
        assertThat(nodeB.owns("feed")).isTrue();
    }

    @Test
    void aStoppingNodeHandsTheJobsOverAtOnce() {
        assertThat(nodeA.owns("feed")).isTrue();
        assertThat(nodeB.owns("feed")).isFalse();
        nodeA.handOver();
        assertThat(nodeB.owns("feed")).isTrue();
    }

    @Test
    void aJobWhoseHolderDiedIsNotTakenForAnUnfinishedSyncRun() {
        assertThat(nodeA.owns("feed")).isTrue();
        clock.advance(LEASE.plusSeconds(1));
        assertThat(leasesB.orphaned()).isEmpty();
    }
}
