package com.commerceidentity.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema migrations of the embedded database that a kill cannot leave half done.
 *
 * <p>Why: H2 commits each DDL statement on its own, so a migration is not one transaction as on PostgreSQL. A
 * process killed inside one (seen: {@code kill -9} during a first start on a busy machine) leaves the columns it
 * had added but no row in Flyway's history; the next start runs the migration again, fails on "Duplicate column
 * name", and the app does not start again, ever, without someone editing the database by hand.
 *
 * <p>So before migrating, the database is written out as a script beside its file ({@code SCRIPT}, H2's own
 * logical copy; written under a temporary name and renamed, so the copy is whole or absent), and removed once
 * Flyway has finished. A start that finds the copy knows the last migration was cut short: it empties the database
 * and reads the copy back in ({@code RUNSCRIPT}), then migrates again from there. It costs a copy of the database
 * at each start with a migration to run, which is a new version's first start, or the very first (empty).
 */
final class H2Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(H2Migrations.class);

    private H2Migrations() {
    }

    /** @param copy where the database's copy lives while a migration runs; null: no file to copy (in memory) */
    static void migrate(DataSource db, Path copy) {
        Flyway flyway = Flyway.configure().dataSource(db).locations("classpath:db/migration").load();
        if (copy == null) {
            flyway.migrate();
            return;
        }
        try {
            Path partial = copy.resolveSibling(copy.getFileName() + ".tmp");
            // a copy being written when the process died: the migration had not begun, the database is whole
            Files.deleteIfExists(partial);
            if (Files.exists(copy)) {
                restore(db, copy);
            }
            if (flyway.info().pending().length == 0) {
                flyway.migrate(); // nothing to run; checks the applied migrations against these
                return;
            }
            run(db, "SCRIPT TO ? COMPRESSION DEFLATE", partial);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            flyway.migrate();
            Files.delete(copy);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("embedded database: cannot keep a copy for the schema migration beside "
                    + copy + " (" + e.getMessage() + "); free the disk or fix the folder's permissions", e);
        }
    }

    private static void restore(DataSource db, Path copy) throws SQLException, IOException {
        LOG.warn("embedded database: the last schema migration was cut short (the process stopped inside it); the"
                + " database is read back from the copy taken before it ({}) and migrated again", copy);
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP ALL OBJECTS");
        }
        run(db, "RUNSCRIPT FROM ? COMPRESSION DEFLATE", copy);
        Files.delete(copy);
    }

    private static void run(DataSource db, String sql, Path file) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, file.toAbsolutePath().toString());
            ps.execute();
        }
    }
}
