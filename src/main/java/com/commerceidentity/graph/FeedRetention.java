package com.commerceidentity.graph;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes feed events older than {@code maxAge} or beyond the newest {@code maxEvents}, never one that is not yet
 * folded into the snapshot ({@link FeedSnapshots}) nor one a sink still has to send ({@link #holdAt}). What is deleted
 * is recorded as the horizon: {@code GET /feed?after=} below it is refused rather than answered with a gap.
 */
public class FeedRetention {
    private static final Logger LOG = LoggerFactory.getLogger(FeedRetention.class);
    private static final int DELETE_CHUNK = 10_000;
    private final FeedEventLog eventLog;
    private final FeedSnapshots snapshots;
    private final Duration maxAge;
    private final long maxEvents;
    private final Clock clock;
    private final List<LongSupplier> holds = new CopyOnWriteArrayList<>();

    /**
     * @param maxAge    events older than this go; null keeps every event whatever its age
     * @param maxEvents at most this many newest events are kept; 0 keeps any number
     */
    public FeedRetention(FeedEventLog eventLog, FeedSnapshots snapshots, Duration maxAge, long maxEvents, Clock clock) {
        this.eventLog = eventLog;
        this.snapshots = snapshots;
        this.maxAge = maxAge;
        this.maxEvents = maxEvents;
        this.clock = clock;
    }

    /** Events after the seq the supplier names are kept until it moves (a sink that has not sent them yet). */
    public void holdAt(LongSupplier sentUpTo) {
        holds.add(sentUpTo);
    }

    /**
     * Folds what is served into the snapshot, then deletes what retention allows, and returns the new horizon (the
     * old one when nothing goes). Run from routes/feed-housekeeping.xml.
     */
    public synchronized long apply() throws SQLException {
        long compacted = snapshots.compactUpTo(eventLog.publishedSeq());
        try (Connection c = eventLog.connection()) {
            long horizon = FeedEventLog.horizonSeq(c);
            long cut = Math.min(compacted, due(c, compacted));
            for (LongSupplier hold : holds) {
                cut = Math.min(cut, hold.getAsLong());
            }
            if (cut <= horizon) {
                return horizon;
            }
            long deleted = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM feed_events WHERE seq > ? AND seq <= ?")) {
                // in chunks, so one retention run never holds a transaction over millions of rows
                for (long from = horizon; from < cut; from += DELETE_CHUNK) {
                    ps.setLong(1, from);
                    ps.setLong(2, Math.min(cut, from + DELETE_CHUNK));
                    deleted += ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE feed_history SET horizon_seq = ? WHERE id = 1")) {
                ps.setLong(1, cut);
                ps.executeUpdate();
            }
            LOG.info("feed retention: {} events up to seq {} deleted; the snapshot holds their identities", deleted, cut);
            return cut;
        }
    }

    /** The newest seq retention wants gone (0: none). */
    private long due(Connection c, long upTo) throws SQLException {
        long cut = 0;
        if (maxEvents > 0) {
            cut = Math.max(cut, eventLog.publishedSeq() - maxEvents);
        }
        if (maxAge != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MAX(seq) FROM feed_events WHERE seq <= ? AND occurred_at < ?")) {
                ps.setLong(1, upTo);
                GraphStore.setInstant(ps, 2, clock.instant().minus(maxAge));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    cut = Math.max(cut, rs.getLong(1));
                }
            }
        }
        return cut;
    }
}
