package com.commerceidentity.webhook;

import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.model.Platform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The stored events of the webhook_inbox table once received: what is due, how each attempt ended, what ops
 * see and re-queue, and what leaves (erasure, retention). Rows go in through {@link WebhookGroupCommit}.
 */
public class WebhookInboxRepository {
    private final DataSource db;
    private final Duration retention;
    private final Duration deadRetention;
    private final Clock clock;
    private final Duration claimFor;

    /** The inbox of one node (embedded H2): what is due is read, nobody else takes it. */
    public WebhookInboxRepository(DataSource db, Duration retention, Clock clock) {
        this(db, retention, null, clock, null);
    }

    /**
     * @param deadRetention how long dead rows are kept; null keeps them until ops re-queue or delete them
     * @param claimFor when several nodes share the database (PostgreSQL): events handed out are claimed
     *                 ({@code working}) so no other node applies them too, and come back if the node that took
     *                 them settles none of them within this time (it died); null on a one-node database
     */
    public WebhookInboxRepository(DataSource db, Duration retention, Duration deadRetention, Clock clock,
                                  Duration claimFor) {
        this.db = db;
        this.retention = retention;
        this.deadRetention = deadRetention;
        this.clock = clock;
        this.claimFor = claimFor;
    }

    public void mark(Collection<Long> seqs, String status, String error) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        // Once applied, a body is no longer needed (the key keeps catching redeliveries): dropping it keeps
        // customers' personal data out of the inbox for the retention window. Failed events keep theirs.
        boolean applied = status.equals("done") || status.equals("ignored") || status.equals(WebhookEvents.REFUSED);
        // One statement per chunk of rows rather than one per row: a batch of 2,000 applied events was 2,000
        // executions (one for them all on PostgreSQL).
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(applied
                     ? "UPDATE webhook_inbox SET status = ?, error = ?, body = ? WHERE seq = ANY(?)"
                     : "UPDATE webhook_inbox SET status = ?, error = ? WHERE seq = ANY(?)")) {
            if (applied) {
                // an applied mark drops the body: it must never reach the file before the records it was applied to
                com.commerceidentity.graph.FeedEventLog.commitsToFile(c);
            }
            for (List<Long> chunk : GraphStore.chunks(c, seqs)) {
                int i = 1;
                ps.setString(i++, status);
                ps.setString(i++, truncate(error));
                if (applied) {
                    ps.setBytes(i++, new byte[0]);
                }
                ps.setArray(i, c.createArrayOf("BIGINT", chunk.toArray(new Long[0])));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * What the processing route takes next, at most {@code limit}: pending events and failed ones whose next
     * attempt is due, in arrival order, so a retried event still comes before its store's later ones.
     */
    public List<InboxEvent> due(int limit) throws SQLException {
        if (claimFor != null) {
            return claim(limit);
        }
        // Two reads along the status indexes, merged by seq: one query with "pending OR failed-and-due" made H2
        // scan every row kept for the retention window, on every poll.
        List<InboxEvent> out = pending(limit);
        out.addAll(select("status = 'failed' AND next_attempt_at <= ? ORDER BY seq", clock.instant(), limit));
        out.sort(java.util.Comparator.comparingLong(InboxEvent::seq));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /**
     * What {@link #due} hands out when several nodes poll one PostgreSQL: the rows are claimed in the statement
     * that picks them, and {@code SKIP LOCKED} passes over rows another node is claiming at that moment, so
     * each event goes to one node. A claim's expiry sits in {@code next_attempt_at}, as a failure's next attempt
     * does: a claim nobody settled is due again like a failure whose time has come.
     */
    private List<InboxEvent> claim(int limit) throws SQLException {
        Instant now = clock.instant();
        List<InboxEvent> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             // Two picks along the status indexes, merged by seq, as due() reads H2: with "pending OR due" in one
             // WHERE, PostgreSQL walked the primary key from the first seq and filtered out every applied row
             // kept for the retention window (53 ms a claim at 300,000 rows, growing with them; 2-3 ms this way).
             // Rows the merge leaves out stay locked only until this statement commits.
             PreparedStatement ps = c.prepareStatement("WITH pending AS (SELECT seq FROM webhook_inbox"
                     + " WHERE status = 'pending' ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED),"
                     + " retry AS (SELECT seq FROM webhook_inbox WHERE status IN ('failed', 'working')"
                     + " AND next_attempt_at <= ? ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED),"
                     + " picked AS (SELECT seq FROM pending UNION ALL SELECT seq FROM retry ORDER BY seq LIMIT ?)"
                     + " UPDATE webhook_inbox SET status = 'working', next_attempt_at = ?"
                     // an array, not IN (subquery): the planner hashed the whole table for the latter
                     + " WHERE seq = ANY(ARRAY(SELECT seq FROM picked))"
                     + " RETURNING seq, platform, store_id, topic, received_at, body")) {
            ps.setInt(1, limit);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setInt(3, limit);
            ps.setInt(4, limit);
            ps.setTimestamp(5, Timestamp.from(now.plus(claimFor)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new InboxEvent(rs.getLong(1), Platform.of(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getBytes(6)));
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(InboxEvent::seq));
        return out;
    }

    /** The oldest pending events, at most {@code limit}. */
    public List<InboxEvent> pending(int limit) throws SQLException {
        return select("status = 'pending' ORDER BY seq", null, limit);
    }

    private List<InboxEvent> select(String where, Instant at, int limit) throws SQLException {
        List<InboxEvent> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, platform, store_id, topic, received_at, body"
                     + " FROM webhook_inbox WHERE " + where)) {
            if (at != null) {
                ps.setTimestamp(1, Timestamp.from(at));
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new InboxEvent(rs.getLong(1), Platform.of(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getBytes(6)));
                }
            }
        }
        return out;
    }

    /** One failed attempt at a stored event: its count so far and when it runs again (null: it is dead). */
    public record FailedAttempt(long seq, String platform, String store, String topic, int attempts, Instant nextAttemptAt) {
        public boolean dead() {
            return nextAttemptAt == null;
        }
    }

    /**
     * Counts one more failed attempt for each event and schedules its next one, or marks it {@code dead} when
     * the schedule has no attempts left. Bodies stay: the retry (or ops) needs them.
     */
    public List<FailedAttempt> failed(Collection<Long> seqs, String error, RetrySchedule schedule) throws SQLException {
        List<FailedAttempt> out = new ArrayList<>();
        if (seqs.isEmpty()) {
            return out;
        }
        Instant now = clock.instant();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement read = c.prepareStatement("SELECT platform, store_id, topic, attempts FROM webhook_inbox"
                         + " WHERE seq = ?");
                 PreparedStatement write = c.prepareStatement("UPDATE webhook_inbox SET status = ?, error = ?,"
                         + " attempts = ?, next_attempt_at = ? WHERE seq = ?")) {
                for (long seq : seqs) {
                    read.setLong(1, seq);
                    try (ResultSet rs = read.executeQuery()) {
                        if (!rs.next()) {
                            continue; // deleted by hand meanwhile: nothing left to retry
                        }
                        int attempts = rs.getInt(4) + 1;
                        Instant next = schedule.next(attempts, now).orElse(null);
                        out.add(new FailedAttempt(seq, rs.getString(1), rs.getString(2), rs.getString(3), attempts, next));
                        write.setString(1, next == null ? "dead" : "failed");
                        write.setString(2, truncate(error));
                        write.setInt(3, attempts);
                        write.setTimestamp(4, next == null ? null : Timestamp.from(next));
                        write.setLong(5, seq);
                        write.addBatch();
                    }
                }
                write.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return out;
    }

    /** Rows per status, every status named even when none has it. */
    public Map<String, Long> statusCounts() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String status : List.of("pending", "working", "done", "ignored", "refused", "failed", "dead", "erased")) {
            out.put(status, 0L);
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM webhook_inbox GROUP BY status");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** When the oldest event still waiting to be processed arrived; empty when none waits. */
    public java.util.Optional<Instant> oldestPendingReceivedAt() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT MIN(received_at) FROM webhook_inbox WHERE status = 'pending'");
             ResultSet rs = ps.executeQuery()) {
            Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
            return java.util.Optional.ofNullable(t).map(Timestamp::toInstant);
        }
    }

    /** A failed or dead row as ops see it: never its body. */
    public record TroubledEvent(long seq, String status, String platform, String store, String topic, Instant receivedAt,
                                int attempts, Instant nextAttemptAt, String error) {
    }

    /**
     * The most recent failed, dead and refused rows, newest first, and failed ones a node has claimed for their next
     * attempt (status {@code working}): an event being retried stays in sight.
     */
    public List<TroubledEvent> troubled(int limit) throws SQLException {
        List<TroubledEvent> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, status, platform, store_id, topic, received_at,"
                     + " attempts, next_attempt_at, error FROM webhook_inbox WHERE status IN ('failed', 'dead', 'refused')"
                     + " OR (status = 'working' AND attempts > 0) ORDER BY seq DESC")) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp next = rs.getTimestamp(8);
                    out.add(new TroubledEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getInt(7),
                            next == null ? null : next.toInstant(), rs.getString(9)));
                }
            }
        }
        return out;
    }

    /**
     * Puts dead rows (of one store, or all when {@code store} is null) back in the queue with a fresh set of
     * attempts; the last error stays until the next attempt replaces or clears it.
     */
    public int requeueDead(String store) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE webhook_inbox SET status = 'pending', attempts = 0,"
                     + " next_attempt_at = NULL WHERE status = 'dead'" + (store == null ? "" : " AND store_id = ?"))) {
            if (store != null) {
                ps.setString(1, store);
            }
            return ps.executeUpdate();
        }
    }

    private static String truncate(String error) {
        return error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error;
    }

    /**
     * For an erasure: failed and dead events of the store whose body {@code concerns} the erased customer are
     * set aside as {@code erased} with their bodies dropped, so neither a retry nor a re-queue brings the
     * personal data back. Returns how many.
     */
    public int eraseHeld(Platform platform, String store, java.util.function.Predicate<byte[]> concerns) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, body FROM webhook_inbox WHERE platform = ?"
                     + " AND store_id = ? AND status IN ('failed', 'dead')")) {
            ps.setString(1, platform.id());
            ps.setString(2, store);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (concerns.test(rs.getBytes(2))) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE webhook_inbox SET status = 'erased', body = ?,"
                     + " error = 'erased on request' WHERE seq = ?")) {
            for (long seq : seqs) {
                ps.setBytes(1, new byte[0]);
                ps.setLong(2, seq);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return seqs.size();
    }

    /**
     * Drops applied rows past the retention window; until then their keys keep catching redeliveries. Failed
     * and dead rows stay whatever their age: they are work still owed.
     */
    public int purge() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_inbox WHERE status IN ('done', 'ignored', 'erased', 'refused')"
                     + " AND received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minus(retention)));
            return ps.executeUpdate();
        }
    }

    /**
     * Drops dead rows received longer ago than the dead-row retention (none when it is off). A dead row is an
     * event never applied: past this age ops have chosen to rely on the next reconcile sync instead.
     */
    public int purgeDead() throws SQLException {
        if (deadRetention == null) {
            return 0;
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_inbox WHERE status = 'dead'"
                     + " AND received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minus(deadRetention)));
            return ps.executeUpdate();
        }
    }
}
