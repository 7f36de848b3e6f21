package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settling applied events in the inbox: exactly the events of the batch change, however many there are. */
class WebhookInboxMarkTest {
    @TempDir
    Path dir;
    DataSource pool;
    WebhookInboxRepository inbox;

    @BeforeEach
    void inbox() {
        pool = TestDatabase.migrated(dir);
        inbox = new WebhookInboxRepository(pool, Duration.ofDays(7), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        TestDatabase.close(pool);
    }

    @Test
    void aBatchLargerThanOneStatementMarksExactlyItsEventsAndDropsOnlyTheirBodies() throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_inbox (platform, store_id, dedup_key,"
                     + " topic, received_at, body, status) VALUES ('shopify', 'shop', ?, 'customers/update',"
                     + " CURRENT_TIMESTAMP, ?, 'pending')")) {
            for (int i = 0; i < 150; i++) {
                insert.setString(1, "e" + i);
                insert.setBytes(2, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                insert.executeUpdate();
            }
            try (ResultSet rs = st.executeQuery("SELECT seq FROM webhook_inbox ORDER BY seq")) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        List<Long> applied = new ArrayList<>(seqs.subList(0, 129));
        applied.remove(64); // a gap: the 65th event is not part of this batch
        inbox.mark(applied, "done", null);
        inbox.mark(List.of(seqs.get(140)), "failed", "mapping: email is not an address");

        Map<String, Long> byStatus = new TreeMap<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, OCTET_LENGTH(body) AS b, COUNT(*) FROM webhook_inbox"
                     + " GROUP BY status, OCTET_LENGTH(body)")) {
            while (rs.next()) {
                byStatus.put(rs.getString(1) + "/" + rs.getInt(2), rs.getLong(3));
            }
        }
        assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(
                "done/0", 128L, "pending/2", 21L, "failed/2", 1L));
        assertThat(status(seqs.get(64))).isEqualTo("pending");
        assertThat(status(seqs.get(129))).isEqualTo("pending");
    }

    private String status(long seq) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status FROM webhook_inbox WHERE seq = " + seq)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
