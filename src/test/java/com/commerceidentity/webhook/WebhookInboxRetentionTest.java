package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What leaves the webhook inbox with age: applied rows after the retention window, dead rows only when asked. */
class WebhookInboxRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    @TempDir
    Path dir;
    JdbcConnectionPool pool;
    final MutableClock clock = new MutableClock(NOW);

    @BeforeEach
    void inbox() throws Exception {
        pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        for (String status : List.of("done", "ignored", "dead", "failed", "pending")) {
            insert(status + "-old", status, NOW.minus(Duration.ofDays(40)));
            insert(status + "-new", status, NOW.minus(Duration.ofDays(2)));
        }
    }

    @AfterEach
    void close() {
        pool.dispose();
    }

    @Test
    void deadRowsOlderThanTheirRetentionGoAndNothingNewerOrStillOwed() throws Exception {
        WebhookInboxRepository inbox = new WebhookInboxRepository(pool, Duration.ofHours(72), Duration.ofDays(30), clock, null);

        assertThat(inbox.purge()).isEqualTo(2);
        assertThat(inbox.purgeDead()).isEqualTo(1);

        assertThat(keys()).containsExactlyInAnyOrder("done-new", "ignored-new", "dead-new", "failed-old", "failed-new",
                "pending-old", "pending-new");
    }

    @Test
    void deadRowsStayWhenTheirRetentionIsOff() throws Exception {
        WebhookInboxRepository inbox = new WebhookInboxRepository(pool, Duration.ofHours(72), null, clock, null);

        inbox.purge();
        assertThat(inbox.purgeDead()).isZero();

        assertThat(keys()).contains("dead-old", "dead-new").doesNotContain("done-old", "ignored-old");
    }

    private void insert(String key, String status, Instant receivedAt) throws Exception {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_inbox (platform, store_id, dedup_key, topic,"
                     + " received_at, body, status) VALUES ('shopify', 'shop', ?, 'customers/update', ?, X'7b7d', ?)")) {
            ps.setString(1, key);
            ps.setTimestamp(2, Timestamp.from(receivedAt));
            ps.setString(3, status);
            ps.executeUpdate();
        }
    }

    private List<String> keys() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT dedup_key FROM webhook_inbox")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
