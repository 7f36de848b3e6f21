package com.commerceidentity.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** {@code sync_state} over JDBC, in SQL that runs unchanged on H2 and PostgreSQL. */
public class SyncStateStore {
    private final DataSource db;
    private final Clock clock;

    public SyncStateStore(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public SyncState load(String store, String surface) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT watermark, seen_at_watermark, backfill_done FROM sync_state WHERE store_id = ? AND surface = ?")) {
            ps.setString(1, store);
            ps.setString(2, surface);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return SyncState.START;
                }
                String mark = rs.getString(1);
                String seen = rs.getString(2);
                Set<String> ids = seen == null || seen.isEmpty() ? Set.of()
                        : new LinkedHashSet<>(Arrays.asList(seen.split(",")));
                return new SyncState(mark == null ? null : Instant.parse(mark), ids, rs.getBoolean(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the sync state of " + store + "/" + surface, e);
        }
    }

    /**
     * Called only after the records before the watermark are committed to the graph. A run's last page and its end
     * may save from two threads at once; serialised here, the first save of a new surface cannot meet another
     * one's insert (a unique-key violation that failed the run).
     */
    public synchronized void save(String store, String surface, SyncState state) {
        String seen = state.seenAtWatermark().stream().collect(Collectors.joining(","));
        String mark = state.watermark() == null ? null : state.watermark().toString();
        String now = clock.instant().toString();
        try (Connection c = db.getConnection()) {
            // a restart must never resume past records the file lost
            com.commerceidentity.graph.FeedEventLog.commitsToFile(c);
            try (PreparedStatement up = c.prepareStatement("UPDATE sync_state SET watermark = ?, seen_at_watermark = ?,"
                    + " backfill_done = ?, updated_at = ? WHERE store_id = ? AND surface = ?")) {
                up.setString(1, mark);
                up.setString(2, seen);
                up.setBoolean(3, state.backfillDone());
                up.setString(4, now);
                up.setString(5, store);
                up.setString(6, surface);
                if (up.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement in = c.prepareStatement("INSERT INTO sync_state (store_id, surface, watermark,"
                    + " seen_at_watermark, backfill_done, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                in.setString(1, store);
                in.setString(2, surface);
                in.setString(3, mark);
                in.setString(4, seen);
                in.setBoolean(5, state.backfillDone());
                in.setString(6, now);
                in.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save the sync state of " + store + "/" + surface, e);
        }
    }
}
