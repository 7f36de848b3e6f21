package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedDatabaseStoresCompressedPagesUnlessTheUrlBringsItsOwnSettings() throws Exception {
        long defaults = fileSizeAfterWritingEvents("jdbc:h2:file:" + dir.resolve("defaults").resolve("identity"));
        long ownSettings = fileSizeAfterWritingEvents(
                "jdbc:h2:file:" + dir.resolve("own").resolve("identity") + ";CACHE_SIZE=8192");

        assertThat(defaults).isLessThan(ownSettings / 2);
    }

    /** Writes 5,000 feed events of a realistic size and returns the database file's size once synced. */
    private long fileSizeAfterWritingEvents(String url) throws Exception {
        DataSource ds = Database.open(url, "sa", "", 2);
        Database.migrate(url, ds);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feed_events (seq, event_type, identity_id,"
                    + " account_key, occurred_at, payload) VALUES (?,?,?,?,?,?)")) {
                for (int seq = 1; seq <= 5_000; seq++) {
                    ps.setLong(1, seq);
                    ps.setString(2, "identity.created");
                    ps.setString(3, "idn_" + seq);
                    ps.setString(4, "shopify:bench:customer:" + seq);
                    ps.setObject(5, OffsetDateTime.parse("2026-11-26T10:00:00Z"));
                    ps.setBytes(6, event(seq));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            try (Statement st = c.createStatement()) {
                st.execute("CHECKPOINT SYNC");
            }
            long size = Files.size(Path.of(url.replaceFirst("^jdbc:h2:file:", "").replaceFirst(";.*$", "") + ".mv.db"));
            try (Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
            return size;
        } finally {
            ((JdbcConnectionPool) ds).dispose();
        }
    }

    private static byte[] event(int seq) {
        return ("{\"seq\":" + seq + ",\"type\":\"identity.created\",\"identityId\":\"idn_" + seq + "\",\"identity\":{"
                + "\"golden\":{\"email\":\"ada." + seq + "@mail.example.net\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"},"
                + "\"accounts\":[{\"key\":\"shopify:bench:customer:" + seq + "\",\"platform\":\"shopify\",\"store\":\"bench\","
                + "\"kind\":\"customer\",\"sourceId\":\"" + seq + "\",\"email\":\"ada." + seq + "@mail.example.net\","
                + "\"status\":\"active\",\"createdAt\":\"2023-01-01T00:00:00Z\",\"surface\":\"file\"}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
