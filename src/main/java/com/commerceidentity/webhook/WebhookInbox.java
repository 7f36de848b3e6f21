package com.commerceidentity.webhook;

import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.http.RequestHeaders;
import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{platform}/{store}}: checks the size, verifies the platform's signature on the raw
 * bytes, stores the event once (the platform's event identity is unique), and only then lets the route answer
 * 200. Rejections are counted and logged with their reason, never with the body or a secret.
 */
public class WebhookInbox {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookInbox.class);
    private static final String ACCEPTED = "{\"status\":\"accepted\"}";
    private static final String DUPLICATE = "{\"status\":\"duplicate\"}";
    private final DataSource db;
    private final StoreRegistry stores;
    private final Map<Platform, WebhookVerifier> verifiers;
    private final long maxBodyBytes;
    private final Duration retention;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final WebhookGroupCommit writer;
    private final long commitTimeoutMs;

    public WebhookInbox(DataSource db, StoreRegistry stores, Map<Platform, WebhookVerifier> verifiers,
                        long maxBodyBytes, Duration retention, Clock clock) {
        this(db, stores, verifiers, maxBodyBytes, retention, clock, new WebhookGroupCommit(db, 500, c -> { }),
                Duration.ofSeconds(10));
    }

    /**
     * @param writer        stores each verified delivery, together with the others arriving at the same time
     * @param commitTimeout how long a request waits for its commit before answering 503 (the platform retries; if
     *                      the row did go in, the retry is answered as a duplicate)
     */
    public WebhookInbox(DataSource db, StoreRegistry stores, Map<Platform, WebhookVerifier> verifiers,
                        long maxBodyBytes, Duration retention, Clock clock, WebhookGroupCommit writer,
                        Duration commitTimeout) {
        this.writer = writer;
        this.commitTimeoutMs = commitTimeout.toMillis();
        this.db = db;
        this.stores = stores;
        this.verifiers = verifiers;
        this.maxBodyBytes = maxBodyBytes;
        this.retention = retention;
        this.clock = clock;
    }

    /** @return the JSON answer: {@code {"status":"accepted"}} or {@code {"status":"duplicate"}} */
    public String receive(Exchange exchange) throws SQLException {
        Message m = exchange.getMessage();
        String platformId = m.getHeader("platform", String.class);
        String storeId = m.getHeader("store", String.class);
        try {
            Platform platform = Platform.of(platformId);
            StoreConfig store = stores.get(storeId).filter(s -> s.platform() == platform).orElseThrow(() ->
                    new WebhookRejected(404, "no " + platformId + " store '" + storeId + "' is configured"));
            Long length = m.getHeader(Exchange.CONTENT_LENGTH, Long.class);
            byte[] body = m.getBody(byte[].class);
            if ((length != null && length > maxBodyBytes) || (body != null && body.length > maxBodyBytes)) {
                throw new WebhookRejected(413, "body exceeds app.webhooks.max-body-bytes=" + maxBodyBytes);
            }
            if (body == null || body.length == 0) {
                String type = m.getHeader(Exchange.CONTENT_TYPE, "", String.class);
                // The HTTP server reads a form-encoded body as form fields, so none is left to verify
                throw type.startsWith("application/x-www-form-urlencoded")
                        ? new WebhookRejected(415, "Content-Type " + type + " is not accepted: send the event as"
                                + " application/json")
                        : new WebhookRejected(400, "empty body");
            }
            VerifiedEvent event = verifiers.get(platform).verify(store, RequestHeaders.all(exchange), body);
            boolean fresh = insert(platform, store.id(), event, body);
            (fresh ? accepted : duplicates).incrementAndGet();
            return fresh ? ACCEPTED : DUPLICATE;
        } catch (WebhookRejected e) {
            rejected.incrementAndGet();
            LOG.warn("webhook for {}/{} rejected ({}): {}", platformId, storeId, e.status(), e.getMessage());
            throw new HttpProblem(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            throw new HttpProblem(404, e.getMessage());
        }
    }

    /** @return false when the same event was stored before: the platform retried or redelivered */
    private boolean insert(Platform platform, String store, VerifiedEvent event, byte[] body) {
        CompletableFuture<Boolean> stored = writer.store(new WebhookGroupCommit.Row(platform.id(), store,
                event.dedupKey(), event.topic(), clock.instant(), body));
        try {
            return stored.get(commitTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "interrupted while storing the event; deliver it again");
        } catch (TimeoutException e) {
            LOG.warn("webhook for {}/{}: not stored within {} ms, answered 503", platform.id(), store, commitTimeoutMs);
            throw new HttpProblem(503, "the event was not stored in time; deliver it again");
        } catch (ExecutionException e) {
            // The writer logged why; the platform only needs to know to send it again.
            throw new HttpProblem(503, "the event could not be stored; deliver it again");
        }
    }


    public void mark(Collection<Long> seqs, String status, String error) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        // Once applied, a body is no longer needed (the key keeps catching redeliveries): dropping it keeps
        // customers' personal data out of the inbox for the retention window. Failed events keep theirs.
        boolean applied = status.equals("done") || status.equals("ignored");
        // One statement per chunk of rows rather than one per row: a batch of 2,000 applied events was 2,000
        // executions.
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(applied
                     ? "UPDATE webhook_inbox SET status = ?, error = ?, body = ? WHERE seq = ANY(?)"
                     : "UPDATE webhook_inbox SET status = ?, error = ? WHERE seq = ANY(?)")) {
            for (List<Long> chunk : GraphStore.chunks(seqs)) {
                int i = 1;
                ps.setString(i++, status);
                ps.setString(i++, error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
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
        // Two reads along the status indexes, merged by seq: one query with "pending OR failed-and-due" made H2
        // scan every row kept for the retention window, on every poll.
        List<InboxEvent> out = pending(limit);
        out.addAll(select("status = 'failed' AND next_attempt_at <= ? ORDER BY seq", clock.instant(), limit));
        out.sort(java.util.Comparator.comparingLong(InboxEvent::seq));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
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
        for (String status : List.of("pending", "done", "ignored", "failed", "dead")) {
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

    /** A failed or dead row as ops see it: never its body. */
    public record TroubledEvent(long seq, String status, String platform, String store, String topic, Instant receivedAt,
                                int attempts, Instant nextAttemptAt, String error) {
    }

    /** The most recent failed and dead rows, newest first. */
    public List<TroubledEvent> troubled(int limit) throws SQLException {
        List<TroubledEvent> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, status, platform, store_id, topic, received_at,"
                     + " attempts, next_attempt_at, error FROM webhook_inbox WHERE status IN ('failed', 'dead')"
                     + " ORDER BY seq DESC")) {
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
     * Drops applied rows past the retention window; until then their keys keep catching redeliveries. Failed
     * and dead rows stay whatever their age: they are work still owed.
     */
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

    public int purge() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_inbox WHERE status IN ('done', 'ignored', 'erased')"
                     + " AND received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minus(retention)));
            return ps.executeUpdate();
        }
    }

    public Map<String, Long> counters() {
        return Map.of("accepted", accepted.get(), "duplicates", duplicates.get(), "rejected", rejected.get());
    }
}
