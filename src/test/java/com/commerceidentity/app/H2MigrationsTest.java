package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's schema migrations survive a kill inside one: H2 commits each DDL statement on its own,
 * so a killed migration leaves part of its changes and no history row, and Flyway alone then refuses every start.
 */
class H2MigrationsTest {
    @TempDir
    Path dir;

    String url() {
        return "jdbc:h2:file:" + dir.resolve("db").resolve("identity");
    }

    @Test
    void aMigrationCutShortByAKillIsUndoneFromTheCopyAndRunAgainAtTheNextStart() throws Exception {
        Path copy = Database.migrationCopy(url());
        DataSource db = Database.open(url(), "sa", "", 2);
        // an installation of an earlier version, with data
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("3").load().migrate();
        execute(db, "INSERT INTO webhook_inbox (platform, store_id, dedup_key, topic, received_at, body, status)"
                + " VALUES ('shopify', 'eu', 'evt-1', 'customers/update', CURRENT_TIMESTAMP, X'7B7D', 'pending')");
        // the new version's first start: the copy is taken, V4 begins, and the process is killed after its first
        // statement (each H2 DDL statement is committed at once)
        execute(db, "SCRIPT TO '" + copy + "' COMPRESSION DEFLATE");
        execute(db, "ALTER TABLE webhook_inbox ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL");
        assertThatThrownBy(() -> Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate())
                .as("Flyway alone, at the next start").hasStackTraceContaining("Duplicate column name");

        H2Migrations.migrate(db, copy);

        assertThat(Flyway.configure().dataSource(db).locations("classpath:db/migration").load().info().pending())
                .as("migrations left to run").isEmpty();
        assertThat(query(db, "SELECT dedup_key || '/' || attempts FROM webhook_inbox")).isEqualTo("evt-1/0");
        assertThat(copy).as("the copy, once the migration is through").doesNotExist();
    }

    @Test
    void aCopyCutShortBeforeTheMigrationBeganIsDroppedAndTheDatabaseMigratedAsItIs() throws Exception {
        Path copy = Database.migrationCopy(url());
        DataSource db = Database.open(url(), "sa", "", 2);
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("3").load().migrate();
        execute(db, "INSERT INTO sync_state (store_id, surface, updated_at) VALUES ('eu', 'customers', 'now')");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy.resolveSibling(copy.getFileName() + ".tmp"), "half a copy");

        H2Migrations.migrate(db, copy);

        assertThat(query(db, "SELECT store_id FROM sync_state")).isEqualTo("eu");
        assertThat(copy.resolveSibling(copy.getFileName() + ".tmp")).doesNotExist();
        assertThat(copy).doesNotExist();
    }

    @Test
    void afterAnUncleanStopTheDatabaseIsRebuiltFromItsRowsAndGoesOnNumberingWhereItWas() throws Exception {
        Path copy = Database.migrationCopy(url());
        DataSource db = Database.open(url(), "sa", "", 2);
        H2Migrations.migrate(db, copy);
        for (int i = 1; i <= 3; i++) {
            execute(db, "INSERT INTO webhook_inbox (platform, store_id, dedup_key, topic, received_at, body, status)"
                    + " VALUES ('shopify', 'eu', 'evt-" + i + "', 'customers/update', CURRENT_TIMESTAMP, X'7B7D', 'done')");
        }

        H2Migrations.migrate(db, copy, true);

        execute(db, "INSERT INTO webhook_inbox (platform, store_id, dedup_key, topic, received_at, body, status)"
                + " VALUES ('shopify', 'eu', 'evt-4', 'customers/update', CURRENT_TIMESTAMP, X'7B7D', 'pending')");
        assertThat(query(db, "SELECT LISTAGG(seq || ':' || dedup_key, ',') WITHIN GROUP (ORDER BY seq) FROM webhook_inbox"))
                .isEqualTo("1:evt-1,2:evt-2,3:evt-3,4:evt-4");
        assertThat(query(db, "SELECT seq FROM webhook_inbox WHERE status = 'pending' ORDER BY seq"))
                .as("read through the status index").isEqualTo("4");
        assertThat(copy).doesNotExist();
    }

    private static void execute(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String query(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
