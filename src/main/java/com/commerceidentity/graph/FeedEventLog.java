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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The feed's events in {@code feed_events}, and how far readers may see them: the graph writes each batch's
 * events in the batch's transaction ({@link #insertEvents}), and {@link #published} moves the served head once
 * they can no longer be lost. Same database and SQL dialect rules as {@link GraphStore}.
 */
public class FeedEventLog implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeedEventLog.class);
    private final GraphStore graph;
    /** The feed's served head: no reader is shown an event past it (see {@link #published}). */
    private volatile long publishedSeq;
    /** The newest committed seq handed to {@link #committed}; the served head catches up with it. */
    private long requestedSeq;
    private final Object head = new Object();
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread publisher;
    private volatile boolean closing;
    /** Above zero: other processes write this database too, and their commits are served after at most this. */
    private volatile long followMillis;

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
        onH2(c, true);
    }

    /**
     * Puts every commit so far in embedded H2's file, where a killed process cannot lose it (a power cut takes
     * {@link #syncToDisk}). H2 writes commits in the background, and after a {@code kill -9} it has reopened files
     * holding part of what was committed (an index entry without its row, a commit half applied). So this runs before
     * events are served, before a sync watermark is saved and before webhook deliveries are marked applied: nothing
     * else makes what vouches for records reach the file after them.
     */
    public static void commitsToFile(Connection c) throws SQLException {
        onH2(c, false);
    }

    /**
     * Leaves embedded H2's file as a kill would have to find it: the newest write whole and named by the file header
     * ({@link H2WritesUnderWay}); the embedded database's timer runs it (routes/feed-housekeeping.xml,
     * {@code app.db.h2.file-check-ms}). Each checkpoint above does so too, but between checkpoints H2 keeps writing on
     * its own (its background writer, its compaction of a quiet file), and once the first of those writes is older
     * than H2's retention time (45 s) its space may be reused: a kill then reopens the file behind the last vouched
     * commit. A period well under 45 s keeps every write after the header too young to be reused. Nothing to do
     * on PostgreSQL.
     */
    public void keepFileReopenable() throws SQLException {
        try (Connection c = connection()) {
            if (isH2(c)) {
                H2WritesUnderWay.await(c);
            }
        }
    }

    /**
     * PostgreSQL needs none of this: its commit is on disk already. H2's checkpoint may find its changes taken by
     * a write H2 began on a thread of its own, and return before that write is done ({@link H2WritesUnderWay}):
     * the sync to disk comes after that write.
     */
    private static void onH2(Connection c, boolean sync) throws SQLException {
        if (isH2(c)) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
                H2WritesUnderWay.await(c);
                if (sync) {
                    st.execute("CHECKPOINT SYNC");
                }
            }
        }
    }

    private static boolean isH2(Connection c) throws SQLException {
        return "H2".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
    }

    /**
     * A batch up to {@code seq} is committed: serve it once a killed process can no longer lose it. Embedded H2
     * keeps recent commits in its own memory for up to its write delay; had the feed served them and the
     * process died, the restarted database would number other events with the same seqs. A checkpoint hands
     * the committed pages to the operating system, which keeps them through a killed process (not through a
     * power cut: that takes {@link #syncToDisk}, or PostgreSQL, whose commit is on disk already).
     *
     * <p>With {@link #startGroupPublishing} the checkpoint runs on its own thread and covers every batch
     * committed while the previous one was being written (a group commit): the graph writer never waits for
     * it, and under load one checkpoint serves many batches. Without it (tests, benchmarks of the store alone)
     * the caller checkpoints before it returns. Called under the graph's writer lock, so seqs come in order.
     */
    public void committed(Connection c, long seq) throws SQLException {
        synchronized (head) {
            if (seq > requestedSeq) {
                requestedSeq = seq;
                head.notifyAll();
            }
        }
        if (publisher == null) {
            long target;
            synchronized (head) {
                target = requestedSeq;
            }
            if (target > publishedSeq) {
                commitsToFile(c);
                advance(target);
            }
        }
    }

    /**
     * Serves committed batches from a thread of their own (see {@link #committed}); a failed checkpoint is
     * tried again after {@code retryMillis}, and committed events stay unserved until one succeeds.
     */
    public synchronized void startGroupPublishing(long retryMillis) {
        startPublisher(retryMillis);
    }

    /**
     * Serves the commits of every node sharing this database, not only this process's: the publishing thread
     * also reads the newest committed seq every {@code pollMillis}. Only for PostgreSQL, whose commits are
     * durable and, under {@link GraphWriterLock#postgresAdvisory}, made in seq order, so the newest committed
     * seq never has an uncommitted one below it.
     */
    public synchronized void followDatabase(long pollMillis, long retryMillis) {
        if (pollMillis <= 0) {
            throw new IllegalArgumentException("the feed's follow interval must be above 0 ms but is " + pollMillis);
        }
        followMillis = pollMillis;
        startPublisher(retryMillis);
    }

    private void startPublisher(long retryMillis) {
        if (publisher != null) {
            return;
        }
        publisher = new Thread(() -> publishLoop(retryMillis), "feed-publisher");
        publisher.setDaemon(true);
        publisher.start();
    }

    private void publishLoop(long retryMillis) {
        while (true) {
            long target;
            if (followMillis > 0 && !closing && !followOthers(retryMillis)) {
                return;
            }
            synchronized (head) {
                while (!closing && requestedSeq <= publishedSeq) {
                    try {
                        if (followMillis > 0) {
                            head.wait(followMillis);
                            break;
                        }
                        head.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (followMillis > 0 && !closing && requestedSeq <= publishedSeq) {
                    continue; // nothing of ours to serve: look at the database again
                }
                if (requestedSeq <= publishedSeq) {
                    return; // closing, and everything requested is served
                }
                target = requestedSeq;
            }
            try (Connection c = connection()) {
                commitsToFile(c);
                advance(target);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("events up to seq {} are committed but not yet served (retried in {} ms): {}", target,
                        retryMillis, e.toString());
                if (closing) {
                    return; // the start-up after this one serves them: everything in the database survived
                }
                synchronized (head) {
                    try {
                        head.wait(retryMillis);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Reads the newest seq any node committed into the served target; false when interrupted while retrying. */
    private boolean followOthers(long retryMillis) {
        try {
            long newest = maxSeq();
            synchronized (head) {
                requestedSeq = Math.max(requestedSeq, newest);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot read how far the shared feed has been committed (retried in {} ms): {}", retryMillis,
                    e.toString());
            synchronized (head) {
                try {
                    head.wait(retryMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Lets the publishing thread serve what is committed, then ends it (bounded: the pool closes next). */
    @Override
    public void close() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = publisher;
        }
        synchronized (head) {
            closing = true;
            head.notifyAll();
        }
        if (t != null) {
            t.join(30_000);
        }
    }

    /** Called with the new served head each time it moves (the feed files write what they hold up to it). */
    public void onPublished(LongConsumer listener) {
        listeners.add(listener);
    }

    private void advance(long seq) {
        synchronized (head) {
            if (seq <= publishedSeq) {
                return;
            }
            publishedSeq = seq;
        }
        for (LongConsumer l : listeners) {
            try {
                l.accept(seq);
            } catch (RuntimeException e) {
                LOG.warn("a listener of the served head failed at seq {}: {}", seq, e.toString());
            }
        }
    }

    /** At start-up everything in the database has survived whatever stopped the last run. */
    public void publishedAtStart(long seq) {
        synchronized (head) {
            publishedSeq = seq;
            requestedSeq = Math.max(requestedSeq, seq);
        }
    }

    /** The newest seq a reader may be shown: the feed files and {@code GET /feed} never go past it. */
    public long publishedSeq() {
        return publishedSeq;
    }

    /**
     * Everything committed is on disk when this returns (see {@link #syncToDisk(Connection)}), and served: a
     * caller that acknowledges an input next (a file leaves the inbox, a drop is answered) has its events in
     * the feed by then.
     */
    public void syncToDisk() throws SQLException {
        long target;
        synchronized (head) {
            target = requestedSeq;
        }
        try (Connection c = connection()) {
            syncToDisk(c);
        }
        advance(target);
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
        try (PreparedStatement ps = GraphStore.plannedForItsValues(c.prepareStatement(
                "SELECT DISTINCT identity_id FROM feed_events WHERE account_key = ANY(?) AND seq < ?"))) {
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
            try (PreparedStatement ps = GraphStore.plannedForItsValues(
                    c.prepareStatement("SELECT id FROM identities WHERE merged_into = ANY(?)"))) {
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
        try (PreparedStatement ps = GraphStore.plannedForItsValues(c.prepareStatement("SELECT seq, event_type, identity_id,"
                + " account_key, occurred_at, payload FROM feed_events WHERE (identity_id = ANY(?) OR account_key = ANY(?))"
                + " AND seq < ? ORDER BY seq"))) {
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
        // feed_snapshot holds copies of events by seq: an identity's compacted state is scrubbed with its event
        for (String table : List.of("feed_events", "feed_snapshot")) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET payload = ? WHERE seq = ?")) {
                for (FeedEvent e : events) {
                    ps.setBytes(1, e.utf8());
                    ps.setLong(2, e.seq());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    // ---- reads for the API and the feed -----------------------------------------------------------------

    /** The newest seq ever numbered: retention may have deleted every event, never the numbers they took. */
    public long maxSeq() throws SQLException {
        try (Connection c = connection()) {
            return maxSeq(c);
        }
    }

    /** {@link #maxSeq()} on the caller's connection. */
    public static long maxSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM feed_events");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Math.max(rs.getLong(1), horizonSeq(c));
        }
    }

    /** Events up to this seq were deleted by retention (0: none); a reader resuming below it has a gap. */
    public long horizonSeq() throws SQLException {
        try (Connection c = connection()) {
            return horizonSeq(c);
        }
    }

    static long horizonSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT horizon_seq FROM feed_history WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** When the event {@code seq} occurred; empty when there is no such event. */
    public java.util.Optional<java.time.Instant> occurredAt(long seq) throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT occurred_at FROM feed_events WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.ofNullable(instant(rs, 1)) : java.util.Optional.empty();
            }
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

    /** Stored events in {@code (after, upTo]}, oldest first, at most {@code limit}, whether served yet or not. */
    List<FeedEvent> eventsBetween(Connection c, long after, long upTo, int limit) throws SQLException {
        List<FeedEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_type, identity_id, account_key,"
                + " occurred_at, payload FROM feed_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs));
                }
            }
        }
        return out;
    }

    private static FeedEvent event(ResultSet rs) throws SQLException {
        return new FeedEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                rs.getBytes(6));
    }
}
