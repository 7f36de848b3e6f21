package com.commerceidentity.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/** Opens the graph's database (embedded H2 by default, PostgreSQL by URL) and migrates its schema. */
final class Database {
    private Database() {
    }

    static DataSource open(String url, String user, String password, int maxConnections) {
        if (url.startsWith("jdbc:h2:")) {
            // A URL with settings of its own is taken as it is. Otherwise: MVStore's page cache lives in the heap;
            // a large one speeds the graph's look-ups, but under a small heap it leaves the collector too little
            // room for the page copies every insert makes. And pages are compressed as they are written: the
            // file is a quarter to a third of the size and, on a machine whose cores are busy anyway, writing
            // fewer bytes costs less than compressing them (StoreFloorBenchmark, 1,000,000 records: 3.4 GB at
            // 48.9 µs of CPU per record uncompressed, 0.8 GB at 39.6-43.1 µs compressed).
            String tuned = url.contains(";") ? url
                    : url + ";CACHE_SIZE=" + cacheKb(Runtime.getRuntime().maxMemory()) + ";COMPRESS=TRUE";
            // The app closes the pool once Camel has stopped its routes (ClosingService). H2's own shutdown hook
            // would close the database at SIGTERM while routes are still finishing their work.
            if (!tuned.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
                tuned += ";DB_CLOSE_ON_EXIT=FALSE";
            }
            JdbcConnectionPool pool = JdbcConnectionPool.create(tuned, user, password);
            pool.setMaxConnections(maxConnections);
            try {
                H2WritesOneAtATime.apply(pool);
                H2CommitRecovery.finishInterruptedCommits(pool);
            } catch (SQLException e) {
                pool.dispose();
                throw new IllegalStateException("cannot open the embedded database " + url + ": " + e.getMessage(), e);
            }
            return pool;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(maxConnections);
            config.setPoolName("identity-db");
            // Batched inserts go over the wire as one multi-row statement instead of one round trip per row.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            return new HikariDataSource(config);
        }
        throw new IllegalArgumentException("app.db.url must be a jdbc:h2: or jdbc:postgresql: URL but is '" + url + "'");
    }

    /**
     * Whether other processes may write this database too. Embedded H2 is opened by one process only (its file
     * lock refuses a second); a PostgreSQL is taken to be shared, and the graph and feed behave accordingly
     * (docs/production.md): the cost on a single node is one advisory lock and one {@code MAX(seq)} per batch.
     */
    static boolean shared(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /**
     * A sixteenth of the heap, between 8 and 64 MB. DropBenchmark, 1,000,000 records at -Xmx256m (ParallelGC):
     * 64 MB 17,942 records/s, 32 MB 19,524, 16 MB 21,791, 8 MB 20,823; GC/JIT/VM time 53 s → 40 s at 16 MB.
     */
    static int cacheKb(long maxHeapBytes) {
        return (int) Math.max(8L << 10, Math.min(64L << 10, maxHeapBytes / 16 / 1024));
    }

    static void migrate(String url, DataSource dataSource) {
        migrate(url, dataSource, false);
    }

    /** @param uncleanStop the app did not stop cleanly last time ({@link InUseMark}): H2 rebuilds the database first */
    static void migrate(String url, DataSource dataSource, boolean uncleanStop) {
        if (url.startsWith("jdbc:h2:")) {
            H2Migrations.migrate(dataSource, migrationCopy(url), uncleanStop);
        } else {
            // PostgreSQL runs each migration in one transaction: a kill leaves it undone, and it runs again
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        }
    }

    /** Beside an H2 database file, the copy of it taken while a migration runs; null for one in memory. */
    static java.nio.file.Path migrationCopy(String url) {
        return besideH2File(url, ".before-migration.sql.zip");
    }

    /** {@code <database file><suffix>} for a {@code jdbc:h2:file:} URL (its settings left out); null for any other. */
    static java.nio.file.Path besideH2File(String url, String suffix) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return null;
        }
        String file = url.substring("jdbc:h2:file:".length());
        int settings = file.indexOf(';');
        return java.nio.file.Path.of((settings < 0 ? file : file.substring(0, settings)) + suffix).toAbsolutePath();
    }

    /**
     * The phone index exists only while phone matching is on: nothing else looks accounts up by phone, and
     * keeping an index of random values costs about a fifth of ingest throughput (DropBenchmark, 300,000
     * records). Switching matching on builds it at the next start, which takes a while on a large graph.
     */
    static void indexPhones(DataSource dataSource, boolean on) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(on ? "CREATE INDEX IF NOT EXISTS accounts_by_phone ON accounts (phone_e164)"
                    : "DROP INDEX IF EXISTS accounts_by_phone");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + (on ? "create" : "drop") + " the phone index: " + e.getMessage(), e);
        }
    }
}
