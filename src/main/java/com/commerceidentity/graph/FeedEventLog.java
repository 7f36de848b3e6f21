package com.commerceidentity.graph;

import static com.commerceidentity.graph.GraphStore.array;
import static com.commerceidentity.graph.GraphStore.instant;
import static com.commerceidentity.graph.GraphStore.setInstant;

import com.commerceidentity.feed.FeedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The feed's events in {@code feed_events}, and how far readers may see them: the graph writes each batch's
 * events in the batch's transaction ({@link #insertEvents}), and {@link #published} moves the served head once
 * they can no longer be lost. Same database and SQL dialect rules as {@link GraphStore}.
 */
public class FeedEventLog {
    private final GraphStore graph;
    /** The feed's served head: no reader is shown an event past it (see {@link #published}). */
    private volatile long publishedSeq;

    public FeedEventLog(GraphStore graph) {
        this.graph = graph;
    }

    public Connection connection() throws SQLException {
        return graph.connection();
    }

    /**
     * Makes everything committed so far survive a killed process before we acknowledge it (a webhook's 200, a
     * file moved to .done, an HTTP drop's answer). PostgreSQL's commit is on disk already; embedded H2 writes
     * committed changes in the background, up to its write delay later, so it is told to write and sync now.
     */
    public static void syncToDisk(Connection c) throws SQLException {
        if ("H2".equalsIgnoreCase(c.getMetaData().getDatabaseProductName())) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CHECKPOINT SYNC");
            }
        }
    }

    /**
     * Moves the served head to {@code seq} once everything committed up to it is where a killed process cannot
     * lose it. Embedded H2 keeps recent commits in its own memory for up to its write delay; had the feed
     * served them and the process died, the restarted database would number other events with the same seqs.
     * A checkpoint hands the committed pages to the operating system, which keeps them through a killed
     * process (not through a power cut: that takes {@link #syncToDisk}, or PostgreSQL, whose commit is on
     * disk already). Called under the graph's writer lock, so seqs are published in order.
     */
    public void published(Connection c, long seq) throws SQLException {
        if (seq <= publishedSeq) {
            return;
        }
        if ("H2".equalsIgnoreCase(c.getMetaData().getDatabaseProductName())) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
        }
        publishedSeq = seq;
    }

    /** At start-up everything in the database has survived whatever stopped the last run. */
    public void publishedAtStart(long seq) {
        publishedSeq = seq;
    }

    /** The newest seq a reader may be shown: the feed files and {@code GET /feed} never go past it. */
    public long publishedSeq() {
        return publishedSeq;
    }

    public void syncToDisk() throws SQLException {
        try (Connection c = connection()) {
            syncToDisk(c);
        }
    }

    // ---- writes with a resolved batch (caller owns the transaction) -------------------------------------

    public void insertEvents(Connection c, Collection<FeedEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO feed_events (seq, event_type, identity_id,"
                + " account_key, occurred_at, payload) VALUES (?,?,?,?,?,?)")) {
            for (FeedEvent e : events) {
                ps.setLong(1, e.seq());
                ps.setString(2, e.type());
                ps.setString(3, e.identityId());
                ps.setString(4, e.accountKey());
                setInstant(ps, 5, e.occurredAt());
                ps.setBytes(6, e.utf8());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Stored events (before {@code beforeSeq}) that may show any of the accounts: those they caused, and those
     * of every identity they were ever part of (found through their events, their current identity and
     * the identities merged into those). Erasures are rare, so this reads without an index of its own.
     */
    public List<FeedEvent> eventsShowing(Connection c, Collection<String> accountKeys, long beforeSeq)
            throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT identity_id FROM feed_events WHERE account_key = ANY(?) AND seq < ?")) {
            ps.setArray(1, array(c, accountKeys));
            ps.setLong(2, beforeSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        graph.accountsByKeys(c, accountKeys).forEach(a -> ids.add(a.identityId()));
        Set<String> frontier = new HashSet<>(ids);
        while (!frontier.isEmpty()) {
            Set<String> next = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identities WHERE merged_into = ANY(?)")) {
                ps.setArray(1, array(c, frontier));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (ids.add(rs.getString(1))) {
                            next.add(rs.getString(1));
                        }
                    }
                }
            }
            frontier = next;
        }
        List<FeedEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_type, identity_id, account_key, occurred_at,"
                + " payload FROM feed_events WHERE (identity_id = ANY(?) OR account_key = ANY(?)) AND seq < ? ORDER BY seq")) {
            ps.setArray(1, array(c, ids));
            ps.setArray(2, array(c, accountKeys));
            ps.setLong(3, beforeSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs));
                }
            }
        }
        return out;
    }

    /** Replaces stored event documents (same seq, same type): used to scrub erased personal data. */
    public void updatePayloads(Connection c, Collection<FeedEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE feed_events SET payload = ? WHERE seq = ?")) {
            for (FeedEvent e : events) {
                ps.setBytes(1, e.utf8());
                ps.setLong(2, e.seq());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ---- reads for the API and the feed -----------------------------------------------------------------

    public long maxSeq() throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM feed_events");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Published events with seq greater than {@code after}, oldest first, at most {@code limit}. */
    public List<FeedEvent> eventsAfter(long after, int limit) throws SQLException {
        List<FeedEvent> out = new ArrayList<>();
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, event_type, identity_id, account_key,"
                     + " occurred_at, payload FROM feed_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, after);
            ps.setLong(2, publishedSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs));
                }
            }
        }
        return out;
    }

    /** Streams every event after {@code after} in pages, so a large catch-up never sits in memory at once. */
    public void forEachEventAfter(long after, int pageSize, Consumer<List<FeedEvent>> page) throws SQLException {
        long cursor = after;
        while (true) {
            List<FeedEvent> events = eventsAfter(cursor, pageSize);
            if (events.isEmpty()) {
                return;
            }
            page.accept(events);
            cursor = events.get(events.size() - 1).seq();
        }
    }

    private static FeedEvent event(ResultSet rs) throws SQLException {
        return new FeedEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                rs.getBytes(6));
    }
}
