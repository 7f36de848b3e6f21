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
        migrate(db, copy, false);
    }

    /**
     * @param uncleanStop the app did not stop cleanly last time: the database is first rebuilt from its rows. H2 can
     *                    lose the last commits in a kill and keep index entries of rows it lost; a read through such
     *                    an index fails with "Row not found in primary index" and then times out "trying to lock
     *                    table" at every poll (seen after a kill -9 in PackagedJarIT: acknowledged webhooks were
     *                    never applied). The script holds the rows as the tables have them, and reading it back
     *                    builds every index afresh.
     */
    static void migrate(DataSource db, Path copy, boolean uncleanStop) {
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
                LOG.warn("embedded database: the last schema migration or rebuild was cut short (the process stopped"
                        + " inside it); the database is read back from the copy taken before it ({})", copy);
                restore(db, copy);
            } else if (uncleanStop) {
                long started = System.nanoTime();
                // before anything reads a row: the copy would keep such a row as committed
                H2UncommittedLeftovers.rollBack(db);
                takeCopy(db, partial, copy);
                restore(db, copy);
                LOG.warn("embedded database: the app did not stop cleanly last time; the database was rebuilt from its"
                        + " rows, so no index keeps an entry of a row the stop lost ({} ms)",
                        (System.nanoTime() - started) / 1_000_000);
            }
            if (flyway.info().pending().length == 0) {
                flyway.migrate(); // nothing to run; checks the applied migrations against these
                return;
            }
            takeCopy(db, partial, copy);
            flyway.migrate();
            Files.delete(copy);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("embedded database: cannot keep a copy for the schema migration beside "
                    + copy + " (" + e.getMessage() + "); free the disk or fix the folder's permissions", e);
        }
    }

    /** Written beside it first and renamed when whole: a copy cut short by a kill is never taken for one. */
    private static void takeCopy(DataSource db, Path partial, Path copy) throws SQLException, IOException {
        run(db, "SCRIPT TO ? COMPRESSION DEFLATE", partial);
        Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void restore(DataSource db, Path copy) throws SQLException, IOException {
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
