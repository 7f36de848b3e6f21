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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SyncStateStore.class);
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
            // what the watermark vouches for, checked at the next start (forgetWatermarksIfTheFeedLostCommits)
            long graphSeq = com.commerceidentity.graph.FeedEventLog.maxSeq(c);
            try (PreparedStatement up = c.prepareStatement("UPDATE sync_state SET watermark = ?, seen_at_watermark = ?,"
                    + " backfill_done = ?, updated_at = ?, graph_seq = ? WHERE store_id = ? AND surface = ?")) {
                up.setString(1, mark);
                up.setString(2, seen);
                up.setBoolean(3, state.backfillDone());
                up.setString(4, now);
                up.setLong(5, graphSeq);
                up.setString(6, store);
                up.setString(7, surface);
                if (up.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement in = c.prepareStatement("INSERT INTO sync_state (store_id, surface, watermark,"
                    + " seen_at_watermark, backfill_done, updated_at, graph_seq) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                in.setString(1, store);
                in.setString(2, surface);
                in.setString(3, mark);
                in.setString(4, seen);
                in.setBoolean(5, state.backfillDone());
                in.setString(6, now);
                in.setLong(7, graphSeq);
                in.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save the sync state of " + store + "/" + surface, e);
        }
    }

    /**
     * Run at start, before anything reads or writes the graph. A watermark vouches that every record before it is in
     * the graph; one saved when the feed had reached a seq the database no longer holds shows the database lost
     * commits it had vouched for. Embedded H2 once did so with no single moment of the process behind it: a killed
     * process's file reopened with the watermark of a run's last pages but without those pages' records (SyncCrashIT,
     * CI run 40). What else such a file lost cannot be told (webhook deliveries applied, other surfaces' pages), so
     * every surface is read again from the beginning; records the graph still holds publish nothing. Embedded H2
     * only: PostgreSQL's commits are on disk in order, and other nodes may be saving watermarks while this one starts.
     *
     * @return the surfaces whose watermark was forgotten (0: every watermark is backed by the graph)
     */
    public static int forgetWatermarksIfTheFeedLostCommits(DataSource db) {
        try (Connection c = db.getConnection()) {
            long newest = com.commerceidentity.graph.FeedEventLog.maxSeq(c);
            boolean lost = false;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT store_id, surface, watermark, graph_seq FROM sync_state WHERE graph_seq > ?")) {
                ps.setLong(1, newest);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lost = true;
                        LOG.error("sync {}/{}: its watermark {} was saved when the feed had reached seq {}, but the"
                                + " database's feed ends at seq {}: the database lost commits the watermark vouched"
                                + " for (an unclean stop of embedded H2)", rs.getString(1), rs.getString(2),
                                rs.getString(3), rs.getLong(4), newest);
                    }
                }
            }
            if (!lost) {
                return 0;
            }
            int forgotten;
            try (PreparedStatement up = c.prepareStatement("UPDATE sync_state SET watermark = NULL,"
                    + " seen_at_watermark = '', backfill_done = FALSE, graph_seq = NULL")) {
                forgotten = up.executeUpdate();
            }
            LOG.error("the database lost commits after feed seq {}, of an extent that cannot be told: every synced"
                    + " surface ({}) is read again from the beginning; records the graph still holds publish nothing",
                    newest, forgotten);
            return forgotten;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the sync watermarks against the feed: " + e.getMessage(), e);
        }
    }
}
