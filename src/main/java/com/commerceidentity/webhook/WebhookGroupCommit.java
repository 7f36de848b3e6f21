package com.commerceidentity.webhook;

import com.commerceidentity.graph.FeedEventLog;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores verified deliveries in {@code webhook_inbox} with one transaction per group: every delivery that
 * arrives while the previous group commits joins the next one. A commit per delivery caps the inbox at what
 * the disk can sync one by one; a group pays that cost once for all of them. Each request waits for the commit
 * that holds its row, so the platform's 200 still means "stored".
 *
 * <p>"Committed" means durable. With PostgreSQL that is the commit itself. H2 makes a commit durable only by
 * writing and syncing every page changed since its last sync, which per group was a third of the app's CPU under
 * load; there the group is forced to an {@link InboxJournal} before its commit, and the database is synced (and
 * the journal emptied) once per interval instead.
 *
 * <p>One writer thread keeps rows in arrival order (their {@code seq}) and means no two groups race each other
 * for the same key inside this process. Another process (a second node, an old instance still stopping) can
 * still insert a key between our look-up and our insert: the group is then rolled back and its rows stored one
 * by one, each answered by what the database says about it.
 */
public class WebhookGroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookGroupCommit.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INSERT = "INSERT INTO webhook_inbox (platform, store_id, dedup_key, topic, received_at,"
            + " body, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')";

    /** One verified delivery to store. */
    public record Row(String platform, String store, String dedupKey, String topic, Instant receivedAt, byte[] body) {
        Key key() {
            return new Key(platform, store, dedupKey);
        }
    }

    /** What a group's commit stored: the rows of each platform that went in (for waking the processing). */
    public record Committed(int rows, Set<String> platforms) {
    }

    private record Key(String platform, String store, String dedupKey) {
    }

    private record Pending(Row row, CompletableFuture<Boolean> answer) {
    }

    /** A journal beyond this size is synced into the database at once, whatever the interval. */
    private static final long JOURNAL_MAX_BYTES = InboxJournal.PREALLOCATED_BYTES / 2;

    private final DataSource db;
    private final int maxGroup;
    private final Consumer<Committed> onCommit;
    private final InboxJournal journal;
    private final long syncEveryNanos;
    private long lastSync = System.nanoTime();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    /** The last group's failure to be stored, until a group is stored again: readiness reports it. */
    private volatile String lastFailure;

    /**
     * Each group is synced to disk before it is acknowledged (right for PostgreSQL, where that costs nothing
     * extra; slow on H2, see the other constructor).
     *
     * @param maxGroup at most this many rows per transaction (and per key look-up)
     * @param onCommit told after each commit that stored at least one row, on the writer thread: keep it short
     */
    public WebhookGroupCommit(DataSource db, int maxGroup, Consumer<Committed> onCommit) {
        this(db, maxGroup, onCommit, null, 0);
    }

    /**
     * With the embedded database: each group is forced to the journal at {@code journalFile} before it is
     * acknowledged, and the database is synced (and the journal emptied) every {@code syncEveryMillis}. Rows the
     * journal holds from before an unclean stop are restored first; if they cannot be, this fails rather than
     * start without them.
     */
    public WebhookGroupCommit(DataSource db, int maxGroup, Consumer<Committed> onCommit, Path journalFile,
                              long syncEveryMillis) {
        if (maxGroup < 1) {
            throw new IllegalArgumentException("app.webhooks.commit-group-max must be at least 1 but is " + maxGroup);
        }
        this.db = db;
        this.maxGroup = maxGroup;
        this.onCommit = onCommit;
        this.syncEveryNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, syncEveryMillis));
        if (journalFile != null) {
            try {
                this.journal = InboxJournal.open(journalFile);
                restore();
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("webhook journal " + journalFile + ": could not restore the deliveries"
                        + " it holds (they were acknowledged; the file is kept): " + e.getMessage(), e);
            }
        } else {
            this.journal = null;
        }
        this.writer = new Thread(this::run, "webhook-inbox-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stores again what the journal holds and the database lost in an unclean stop, then empties the journal. */
    private void restore() throws IOException, SQLException {
        List<Row> rows = journal.read();
        if (rows.isEmpty()) {
            journal.reset();
            return;
        }
        Map<Key, Pending> byKey = new LinkedHashMap<>();
        rows.forEach(r -> byKey.putIfAbsent(r.key(), new Pending(r, new CompletableFuture<>())));
        Map<Pending, Boolean> outcome = new HashMap<>();
        // The rows go into the journal once more with this insert; harmless, as it starts over right after.
        insertGroup(byKey, outcome, true);
        try (Connection c = db.getConnection()) {
            FeedEventLog.syncToDisk(c);
        }
        journal.reset();
        Committed restored = stored(outcome);
        if (restored.rows() > 0) {
            LOG.warn("webhook inbox: restored {} acknowledged deliveries from {} that the database lost in an unclean"
                    + " stop ({} were already stored)", restored.rows(), journal.file(), byKey.size() - restored.rows());
            onCommit.accept(restored);
        }
    }

    /**
     * @return completes with {@code true} once the row is committed, {@code false} when the key was already stored
     * (or is stored by an earlier delivery in the same group), or exceptionally when the group's commit failed
     */
    public CompletableFuture<Boolean> store(Row row) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        if (closed) {
            answer.completeExceptionally(new IllegalStateException("the webhook inbox is closed"));
            return answer;
        }
        queue.add(new Pending(row, answer));
        if (closed) {
            // close() may have drained the queue just before our add: nobody would ever answer this one.
            failAll(new IllegalStateException("the webhook inbox is closed"));
        }
        return answer;
    }

    private void run() {
        List<Pending> group = new ArrayList<>(maxGroup);
        long pollNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(200), syncEveryNanos);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(pollNanos, TimeUnit.NANOSECONDS);
                if (first != null) {
                    group.add(first);
                    queue.drainTo(group, maxGroup - 1);
                    commit(group);
                }
                syncJournal(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                lastFailure = e.toString();
                // Never leave a request waiting: whatever went wrong, this group's callers get an answer.
                group.forEach(p -> p.answer().completeExceptionally(e));
                LOG.error("webhook inbox writer: a group of {} failed", group.size(), e);
            } finally {
                group.clear();
            }
        }
        failAll(new IllegalStateException("the webhook inbox is closed"));
        syncJournal(true);
    }

    /**
     * Makes everything the journal holds durable in the database and empties it: when the interval has passed,
     * the journal has grown large, or the inbox is closing. A failure keeps the journal (and is logged); the next
     * round tries again.
     */
    private void syncJournal(boolean closing) {
        if (journal == null) {
            return;
        }
        try {
            long size = journal.size();
            if (size == 0 || !closing && size < JOURNAL_MAX_BYTES && System.nanoTime() - lastSync < syncEveryNanos) {
                return;
            }
            try (Connection c = db.getConnection()) {
                FeedEventLog.syncToDisk(c);
            }
            journal.reset();
            lastSync = System.nanoTime();
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warn("webhook inbox: syncing the database to empty the journal {} failed (the journal is kept): {}",
                    journal.file(), e.toString());
        } finally {
            if (closing) {
                try {
                    journal.close();
                } catch (IOException e) {
                    LOG.warn("webhook inbox: closing the journal failed: {}", e.toString());
                }
            }
        }
    }

    private void commit(List<Pending> group) {
        // Later copies of a key inside the group are duplicates of the first: one row, one "accepted".
        Map<Key, Pending> firsts = new LinkedHashMap<>();
        List<Pending> repeats = new ArrayList<>();
        for (Pending p : group) {
            if (firsts.putIfAbsent(p.row().key(), p) != null) {
                repeats.add(p);
            }
        }
        Map<Pending, Boolean> outcome = new HashMap<>();
        try {
            // Redeliveries are rare: insert the group as it is and let the unique key catch a repeat, rather than
            // look every key up first (that look-up was two fifths of this thread's time). After a repeat, look up;
            // if another process stores one of the keys after our look-up, settle each row on its own.
            if (!insertGroupUnlessRepeated(firsts, outcome, false) && !insertGroupUnlessRepeated(firsts, outcome, true)) {
                insertOneByOne(firsts.values(), outcome);
            }
        } catch (SQLException e) {
            LOG.warn("webhook inbox: storing a group of {} deliveries failed (each is answered with an error, so the"
                    + " platform retries): {}", group.size(), e.toString());
            lastFailure = e.toString();
            group.forEach(p -> p.answer().completeExceptionally(e));
            return;
        }
        lastFailure = null;
        Committed stored = stored(outcome);
        if (stored.rows() > 0) {
            try {
                onCommit.accept(stored);
            } catch (RuntimeException e) {
                LOG.warn("webhook inbox: commit listener failed", e);
            }
        }
        outcome.forEach((p, fresh) -> p.answer().complete(fresh));
        repeats.forEach(p -> p.answer().complete(false));
    }

    /** The rows an outcome stored (not the repeats), with their platforms. */
    private static Committed stored(Map<Pending, Boolean> outcome) {
        Set<String> platforms = new HashSet<>();
        int rows = 0;
        for (Map.Entry<Pending, Boolean> o : outcome.entrySet()) {
            if (o.getValue()) {
                rows++;
                platforms.add(o.getKey().row().platform());
            }
        }
        return new Committed(rows, platforms);
    }

    /** False, with nothing stored, when the database refused a key as already stored. */
    private boolean insertGroupUnlessRepeated(Map<Key, Pending> firsts, Map<Pending, Boolean> outcome, boolean lookUp)
            throws SQLException {
        try {
            insertGroup(firsts, outcome, lookUp);
            return true;
        } catch (SQLException e) {
            if (!uniqueViolation(e)) {
                throw e;
            }
            outcome.clear();
            return false;
        }
    }

    /** One transaction for the group; with {@code lookUp}, keys already stored are answered as repeats. */
    private void insertGroup(Map<Key, Pending> firsts, Map<Pending, Boolean> outcome, boolean lookUp)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<Key> existing = lookUp ? existing(c, firsts.keySet()) : Set.of();
                List<Row> stored = new ArrayList<>(firsts.size());
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (Map.Entry<Key, Pending> e : firsts.entrySet()) {
                        boolean fresh = !existing.contains(e.getKey());
                        outcome.put(e.getValue(), fresh);
                        if (fresh) {
                            bind(ps, e.getValue().row());
                            ps.addBatch();
                            stored.add(e.getValue().row());
                        }
                    }
                    ps.executeBatch();
                }
                // The 200 promises the event survives a crash: on disk before anyone is answered. Journalled
                // before the commit, so every committed row is in the journal until the database is synced.
                journal(stored);
                c.commit();
                if (journal == null) {
                    FeedEventLog.syncToDisk(c);
                }
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Drivers wrap a batch's failure differently (H2 keeps the state, PostgreSQL chains the cause). */
    static boolean uniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (UNIQUE_VIOLATION.equals(s.getSQLState())
                    || s.getNextException() != null && UNIQUE_VIOLATION.equals(s.getNextException().getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * One point look-up per key on the unique index: with an {@code IN} list H2 walks every row of the store
     * instead, and the inbox holds up to a retention window of them.
     */
    private static Set<Key> existing(Connection c, Set<Key> keys) throws SQLException {
        Set<Key> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhook_inbox WHERE platform = ? AND store_id = ?"
                + " AND dedup_key = ?")) {
            for (Key k : keys) {
                ps.setString(1, k.platform());
                ps.setString(2, k.store());
                ps.setString(3, k.dedupKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(k);
                    }
                }
            }
        }
        return out;
    }

    private void insertOneByOne(Iterable<Pending> rows, Map<Pending, Boolean> outcome) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Pending p : rows) {
                bind(ps, p.row());
                try {
                    ps.executeUpdate();
                    outcome.put(p, true);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    outcome.put(p, false);
                }
            }
            // Only this thread inserts or looks up keys here, so nobody sees these rows before they are durable.
            List<Row> stored = new ArrayList<>();
            outcome.forEach((p, fresh) -> {
                if (fresh) {
                    stored.add(p.row());
                }
            });
            journal(stored);
            if (journal == null) {
                FeedEventLog.syncToDisk(c);
            }
        }
    }

    private void journal(List<Row> rows) throws SQLException {
        if (journal == null) {
            return;
        }
        try {
            journal.append(rows);
        } catch (IOException e) {
            throw new SQLException("webhook journal " + journal.file() + " could not be written: " + e.getMessage(),
                    "58030", e);
        }
    }

    private static void bind(PreparedStatement ps, Row r) throws SQLException {
        ps.setString(1, r.platform());
        ps.setString(2, r.store());
        ps.setString(3, r.dedupKey());
        ps.setString(4, r.topic());
        ps.setTimestamp(5, Timestamp.from(r.receivedAt()));
        ps.setBytes(6, r.body());
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void failAll(Exception why) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.answer().completeExceptionally(why);
        }
    }

    /**
     * Why a delivery arriving now would not be stored (and its sender would be answered with an error), or empty
     * when it would be: closed, the writer thread gone, or the last group failed to be stored.
     */
    public java.util.Optional<String> whyNotWritable() {
        if (closed) {
            return java.util.Optional.of("the webhook inbox is closed");
        }
        if (!writer.isAlive()) {
            return java.util.Optional.of("the webhook inbox writer thread has stopped");
        }
        String failure = lastFailure;
        return failure == null ? java.util.Optional.empty()
                : java.util.Optional.of("the last deliveries could not be stored: " + failure);
    }

    /** Stores what is already queued, then stops; later calls to {@link #store} fail at once. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        writer.join(TimeUnit.SECONDS.toMillis(30));
    }
}
