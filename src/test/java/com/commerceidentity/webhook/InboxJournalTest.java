package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook journal keeps acknowledged deliveries that the embedded database has not synced yet: what a crash
 * leaves in it is stored again at the next start, once, and nothing a later sync covered comes back.
 */
class InboxJournalTest {
    @TempDir
    Path dir;

    private static WebhookGroupCommit.Row row(String key) {
        return new WebhookGroupCommit.Row("shopify", "shop", key, "customers/update",
                Instant.parse("2026-11-26T10:15:30.123456789Z"),
                ("{\"id\":\"" + key + "\",\"name\":\"Zoë\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> keys(List<WebhookGroupCommit.Row> rows) {
        return rows.stream().map(WebhookGroupCommit.Row::dedupKey).toList();
    }

    @Test
    void startingOverLeavesNoBodyInTheFileAndTheFileIsTheOwnersAlone() throws Exception {
        Path file = dir.resolve("db").resolve("j");
        byte[] zoe = "Zoë".getBytes(StandardCharsets.UTF_8);
        try (InboxJournal j = InboxJournal.open(file)) {
            j.append(List.of(row("a"), row("b")));
            assertThat(contains(Files.readAllBytes(file), zoe)).as("a body is written before it is acknowledged").isTrue();
            j.reset();
            assertThat(contains(Files.readAllBytes(file), zoe)).as("after the database has it").isFalse();
            j.append(List.of(row("c")));
        }
        // A crash left row c in the journal; the next start restores it, then starts over.
        try (InboxJournal j = InboxJournal.open(file)) {
            assertThat(keys(j.read())).containsExactly("c");
            j.reset();
            assertThat(contains(Files.readAllBytes(file), zoe)).isFalse();
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void rowsWrittenAreReadBackExactlyAfterReopeningTheFile() throws Exception {
        Path file = dir.resolve("j");
        try (InboxJournal j = InboxJournal.open(file)) {
            j.append(List.of(row("a"), row("b")));
            j.append(List.of(row("c")));
        }
        assertThat(Files.size(file)).as("allocated once, written over in place").isEqualTo(InboxJournal.PREALLOCATED_BYTES);
        try (InboxJournal j = InboxJournal.open(file)) {
            List<WebhookGroupCommit.Row> rows = j.read();
            assertThat(keys(rows)).containsExactly("a", "b", "c");
            WebhookGroupCommit.Row b = rows.get(1);
            assertThat(b.platform()).isEqualTo("shopify");
            assertThat(b.store()).isEqualTo("shop");
            assertThat(b.topic()).isEqualTo("customers/update");
            assertThat(b.receivedAt()).isEqualTo(Instant.parse("2026-11-26T10:15:30.123456789Z"));
            assertThat(new String(b.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"b\",\"name\":\"Zoë\"}");
        }
    }

    @Test
    void afterStartingOverOnlyTheNewRowsAreReadEvenWhereTheyAreShorterThanTheOldOnes() throws Exception {
        Path file = dir.resolve("j");
        try (InboxJournal j = InboxJournal.open(file)) {
            j.append(List.of(row("old-1"), row("old-2"), row("old-3")));
            j.reset();
            assertThat(j.size()).isZero();
            j.append(List.of(row("new")));
        }
        try (InboxJournal j = InboxJournal.open(file)) {
            assertThat(keys(j.read())).containsExactly("new");
        }
    }

    @Test
    void aRecordCutShortByACrashEndsTheListAndTheRowsBeforeItAreKept() throws Exception {
        Path file = dir.resolve("j");
        long tornAt;
        try (InboxJournal j = InboxJournal.open(file)) {
            j.append(List.of(row("a"), row("b")));
            tornAt = 16 + j.size();
            j.append(List.of(row("c")));
        }
        // the crash hit while "c" was being written: its last bytes never reached the disk
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8), tornAt + 30);
        }
        try (InboxJournal j = InboxJournal.open(file)) {
            assertThat(keys(j.read())).containsExactly("a", "b");
        }
    }

    @Test
    void deliveriesTheDatabaseLostAreRestoredOnceAtTheNextStartAndTheJournalStartsOver() throws Exception {
        Path journal = dir.resolve("webhook-inbox.journal");
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            // What a crash leaves: "kept" reached the database, "lost-1" and "lost-2" were acknowledged from the
            // journal alone, "lost-2" twice (a redelivery in the same group).
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO webhook_inbox (platform, store_id, dedup_key, topic, received_at, body,"
                        + " status) VALUES ('shopify', 'shop', 'kept', 't', CURRENT_TIMESTAMP, X'7b7d', 'done')");
            }
            try (InboxJournal j = InboxJournal.open(journal)) {
                j.append(List.of(row("kept"), row("lost-1"), row("lost-2"), row("lost-2")));
            }

            List<WebhookGroupCommit.Committed> woken = new CopyOnWriteArrayList<>();
            try (WebhookGroupCommit writer = new WebhookGroupCommit(pool, 100, woken::add, journal, 60_000)) {
                assertThat(rows(pool)).containsExactly("kept/done", "lost-1/pending", "lost-2/pending");
                assertThat(woken).extracting(WebhookGroupCommit.Committed::rows).containsExactly(2);
                assertThat(writer.store(row("lost-1")).get(10, TimeUnit.SECONDS)).as("a redelivery after the restart")
                        .isFalse();
                assertThat(writer.store(row("fresh")).get(10, TimeUnit.SECONDS)).isTrue();
            }
            // a clean stop syncs the database and leaves nothing to restore
            try (InboxJournal j = InboxJournal.open(journal)) {
                assertThat(j.read()).isEmpty();
            }
            List<WebhookGroupCommit.Committed> again = new CopyOnWriteArrayList<>();
            try (WebhookGroupCommit writer = new WebhookGroupCommit(pool, 100, again::add, journal, 60_000)) {
                assertThat(again).isEmpty();
                assertThat(rows(pool)).containsExactly("kept/done", "lost-1/pending", "lost-2/pending", "fresh/pending");
            }
        } finally {
            pool.dispose();
        }
    }

    private static List<String> rows(JdbcConnectionPool pool) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT dedup_key, status FROM webhook_inbox ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        return out;
    }
}
