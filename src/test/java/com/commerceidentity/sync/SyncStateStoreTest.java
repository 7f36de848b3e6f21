package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved watermark vouches that every record before it is in the graph; the start-up check forgets watermarks
 * only when the database shows it lost commits one of them vouched for. The feed's reach is set here through the
 * retention horizon, which counts as much as an event still stored.
 */
class SyncStateStoreTest {
    @TempDir
    Path dir;
    DataSource db;
    SyncStateStore states;

    @BeforeEach
    void migrate() {
        db = TestDatabase.migrated(dir);
        states = new SyncStateStore(db, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        TestDatabase.close(db);
    }

    @Test
    void watermarksTheFeedStillReachesAreKeptEvenWhenRetentionDeletedTheirEvents() throws Exception {
        feedReaches(120);
        SyncState customers = new SyncState(Instant.parse("2025-12-09T15:06:40Z"), Set.of("9277"), false);
        states.save("bigcommerce-sandbox", "customers", customers);

        assertThat(SyncStateStore.forgetWatermarksIfTheFeedLostCommits(db)).isZero();
        assertThat(states.load("bigcommerce-sandbox", "customers")).isEqualTo(customers);
    }

    @Test
    void aWatermarkSavedPastTheFeedsEndSendsEverySurfaceBackToTheBeginning() throws Exception {
        feedReaches(40);
        SyncState staff = new SyncState(Instant.parse("2025-11-01T00:00:00Z"), Set.of(), true);
        states.save("shopify-sandbox", "staff", staff);
        feedReaches(120);
        states.save("bigcommerce-sandbox", "customers",
                new SyncState(Instant.parse("2025-12-09T15:06:40Z"), Set.of("9277"), false));
        // the database came back with its feed at seq 60: commits after it are gone, the later watermark is not
        feedReaches(60);

        assertThat(SyncStateStore.forgetWatermarksIfTheFeedLostCommits(db)).as("surfaces read again").isEqualTo(2);
        assertThat(states.load("bigcommerce-sandbox", "customers")).isEqualTo(SyncState.START);
        // saved before the loss, but what else was lost (webhooks applied, this surface's own pages) cannot be told
        assertThat(states.load("shopify-sandbox", "staff")).isEqualTo(SyncState.START);
        assertThat(SyncStateStore.forgetWatermarksIfTheFeedLostCommits(db)).as("checked once: none left ahead").isZero();
    }

    private void feedReaches(long seq) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE feed_history SET horizon_seq = ? WHERE id = 1")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
        }
    }
}
