package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.db.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link FeedEventLog#commitsToFile} and {@link FeedEventLog#syncToDisk} vouch for is in embedded H2's file
 * when they return, so a {@code kill -9} right after cannot lose it: events served, a webhook acknowledged, a drop
 * moved to {@code .done/}. H2 also writes from threads of its own (its background writer; a writer whose changes
 * outgrew the write buffer), and such a write may already hold the commit when the checkpoint is asked for.
 */
class CommitsToFileTest {
    @TempDir
    Path dir;
    private JdbcConnectionPool pool;
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @BeforeEach
    void openGatedDatabase() throws SQLException {
        Assumptions.assumeFalse(TestDatabase.postgres(), "PostgreSQL's commit is on disk when it returns");
        GatedFiles.register();
        pool = JdbcConnectionPool.create("jdbc:h2:gate:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE marks (id INT PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        GatedFiles.open();
        caller.shutdownNow();
        if (pool != null) {
            pool.dispose();
        }
    }

    @Test
    void aCommitToFileWaitsForTheWriteH2HadAlreadyStartedWithTheCommitInIt() throws Exception {
        assertVouchedForOnlyOnceInTheFile(FeedEventLog::commitsToFile);
    }

    @Test
    void aSyncToDiskWaitsForTheWriteH2HadAlreadyStartedWithTheCommitInIt() throws Exception {
        assertVouchedForOnlyOnceInTheFile(FeedEventLog::syncToDisk);
    }

    private interface Vouch {
        void on(Connection c) throws SQLException;
    }

    private void assertVouchedForOnlyOnceInTheFile(Vouch vouch) throws Exception {
        try (Connection c = pool.getConnection()) {
            mark(c, 1);
            vouch.on(c);
            assertThat(marksInACopyOfTheFile()).as("the first mark, nothing else writing").isEqualTo(1);

            GatedFiles.shut();
            mark(c, 2);
            // as H2's background writer does: a store of everything committed, its write left to H2's own threads
            mvStore(c).tryCommit();
            awaitAWriteAtTheGate();

            Future<?> vouched = caller.submit(() -> {
                vouch.on(c);
                return null;
            });
            assertThatThrownBy(() -> vouched.get(500, TimeUnit.MILLISECONDS))
                    .as("returned while the write holding mark 2 had not reached the file")
                    .isInstanceOf(TimeoutException.class);
            GatedFiles.open();
            vouched.get(30, TimeUnit.SECONDS);
            assertThat(marksInACopyOfTheFile()).as("what a kill -9 would leave").isEqualTo(2);
        }
    }

    private static void mark(Connection c, int id) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO marks VALUES (" + id + ")");
        }
    }

    private static MVStore mvStore(Connection c) throws SQLException {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore();
    }

    private static void awaitAWriteAtTheGate() throws InterruptedException {
        for (int i = 0; i < 1_000 && GatedFiles.waiting() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(GatedFiles.waiting()).as("H2's write of mark 2 waits at the gate").isPositive();
    }

    /** The highest mark in a copy of the database file as it is now: what a process killed now leaves. */
    private int marksInACopyOfTheFile() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy-" + System.nanoTime()));
        Files.copy(dir.resolve("db.mv.db"), copy.resolve("db.mv.db"));
        try (Connection k = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("db"), "sa", "");
             Statement st = k.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(id) FROM marks")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
