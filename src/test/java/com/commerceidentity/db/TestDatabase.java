package com.commerceidentity.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.MVStore;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store a test runs on: embedded H2 (the default) or, with {@code -Dtest.store=postgresql} (the pom's
 * {@code postgresql} surefire execution), a fresh database on one real PostgreSQL 16 started once per test JVM.
 * Each call hands out a database of its own, so tests never see each other's rows.
 */
public final class TestDatabase {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Map<Path, String> BY_DIR = new java.util.concurrent.ConcurrentHashMap<>();
    private static EmbeddedPostgres server;

    private TestDatabase() {
    }

    public static boolean postgres() {
        return "postgresql".equalsIgnoreCase(System.getProperty("test.store", "h2"));
    }

    /**
     * The database of {@code dir}: fresh and empty (not migrated) the first time, the same one when a test opens
     * it again (to check what survives a reopen). An H2 one lives in {@code dir}.
     */
    public static DataSource fresh(Path dir) {
        if (!postgres()) {
            return JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(BY_DIR.computeIfAbsent(dir.toAbsolutePath(), d -> freshPostgresUrl()));
        ds.setUser("postgres");
        return ds;
    }

    /** The embedded H2 store behind a connection: the page store that tests of H2's own writes reach into. */
    public static MVStore h2Store(Connection c) throws SQLException {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore();
    }

    /** {@link #fresh} with the app's schema migrated onto it. */
    public static DataSource migrated(Path dir) {
        DataSource db = fresh(dir);
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        return db;
    }

    /**
     * The settings that point an app whose files live in {@code dir} at the database of the selected store: none
     * for H2 (the app's own default under its data directory), {@code app.db.url}/{@code app.db.user} of the
     * directory's database for PostgreSQL (the same one after a restart, as H2's file would be).
     */
    public static Map<String, String> appSettings(Path dir) {
        if (!postgres()) {
            return Map.of();
        }
        return Map.of("app.db.url", BY_DIR.computeIfAbsent(dir.toAbsolutePath(), d -> freshPostgresUrl()),
                "app.db.user", "postgres");
    }

    /** A new database on the shared server, as a JDBC URL. */
    public static synchronized String freshPostgresUrl() {
        EmbeddedPostgres pg = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    /** Closes a data source a test opened, whichever store it is on. */
    public static void close(DataSource ds) {
        if (ds instanceof JdbcConnectionPool pool) {
            pool.dispose();
        }
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // fsync off: the tests never survive a power cut, and it is the slowest part of every commit
                server = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off").setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300").start();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (java.io.IOException ignored) {
                    // the JVM is going away; the server's directory is a temporary one
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }
}
