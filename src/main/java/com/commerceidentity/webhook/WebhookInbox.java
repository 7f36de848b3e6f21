package com.commerceidentity.webhook;

import com.commerceidentity.http.HttpProblem;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    private final DataSource db;
    private final StoreRegistry stores;
    private final Map<Platform, WebhookVerifier> verifiers;
    private final long maxBodyBytes;
    private final Duration retention;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public WebhookInbox(DataSource db, StoreRegistry stores, Map<Platform, WebhookVerifier> verifiers,
                        long maxBodyBytes, Duration retention, Clock clock) {
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
                throw new WebhookRejected(400, "empty body");
            }
            VerifiedEvent event = verifiers.get(platform).verify(store, headers(m), body);
            boolean fresh = insert(platform, store.id(), event, body);
            (fresh ? accepted : duplicates).incrementAndGet();
            return "{\"status\":\"" + (fresh ? "accepted" : "duplicate") + "\"}";
        } catch (WebhookRejected e) {
            rejected.incrementAndGet();
            LOG.warn("webhook for {}/{} rejected ({}): {}", platformId, storeId, e.status(), e.getMessage());
            throw new HttpProblem(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            throw new HttpProblem(404, e.getMessage());
        }
    }

    private boolean insert(Platform platform, String store, VerifiedEvent event, byte[] body) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_inbox (platform, store_id, dedup_key, topic,"
                     + " received_at, body, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')")) {
            ps.setString(1, platform.id());
            ps.setString(2, store);
            ps.setString(3, event.dedupKey());
            ps.setString(4, event.topic());
            ps.setTimestamp(5, Timestamp.from(clock.instant()));
            ps.setBytes(6, body);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false; // the same event again: the platform retried or redelivered
            }
            throw e;
        }
    }

    /** The oldest pending events, at most {@code limit}. */
    public List<InboxEvent> pending(int limit) throws SQLException {
        List<InboxEvent> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, platform, store_id, topic, received_at, body"
                     + " FROM webhook_inbox WHERE status = 'pending' ORDER BY seq")) {
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

    public void mark(Collection<Long> seqs, String status, String error) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        // Once applied, a body is no longer needed (the key keeps catching redeliveries): dropping it keeps
        // customers' personal data out of the inbox for the retention window. Failed events keep theirs.
        boolean applied = status.equals("done") || status.equals("ignored");
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(applied
                     ? "UPDATE webhook_inbox SET status = ?, error = ?, body = ? WHERE seq = ?"
                     : "UPDATE webhook_inbox SET status = ?, error = ? WHERE seq = ?")) {
            for (long seq : seqs) {
                int i = 1;
                ps.setString(i++, status);
                ps.setString(i++, error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
                if (applied) {
                    ps.setBytes(i++, new byte[0]);
                }
                ps.setLong(i, seq);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Drops processed rows past the retention window; until then their keys keep catching redeliveries. */
    public int purge() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_inbox WHERE status <> 'pending'"
                     + " AND received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minus(retention)));
            return ps.executeUpdate();
        }
    }

    public Map<String, Long> counters() {
        return Map.of("accepted", accepted.get(), "duplicates", duplicates.get(), "rejected", rejected.get());
    }

    private static Map<String, String> headers(Message m) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.getHeaders().forEach((k, v) -> {
            if (v != null) {
                out.put(k, v.toString());
            }
        });
        return out;
    }
}
