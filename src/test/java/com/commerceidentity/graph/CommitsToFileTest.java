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
import org.h2.jdbcx.JdbcConnectionPool;
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
            TestDatabase.h2Store(c).tryCommit();
            assertThat(GatedFiles.awaitAWrite()).as("H2's write of mark 2 waits at the gate").isPositive();

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

    /*
     * H2's writes (chunks) each list where the earlier ones are, but only those already placed when it was put
     * together: with its two write threads overlapping, the newest may not list the one before it, which holds the
     * only copy of another table's page. Reopened after a kill, H2 then drops that table from the schema.
     */
    @Test
    void aFileCheckpointedAfterOverlappingWritesOfH2ReopensWithEveryTable() throws Exception {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE names (id INT PRIMARY KEY, name VARCHAR(40))");
            FeedEventLog.commitsToFile(c);

            GatedFiles.shut();
            mark(c, 1);
            TestDatabase.h2Store(c).tryCommit();
            assertThat(GatedFiles.awaitAWrite()).as("H2's write of mark 2 waits at the gate").isPositive();
            // put together while the write of mark 1 waits, so placed only after it
            st.execute("INSERT INTO names VALUES (1, 'Ada')");
            TestDatabase.h2Store(c).tryCommit();
            // put together before the write of Ada was placed: it cannot list that write
            mark(c, 2);
            TestDatabase.h2Store(c).tryCommit();

            Future<?> vouched = caller.submit(() -> {
                FeedEventLog.commitsToFile(c);
                return null;
            });
            GatedFiles.open();
            vouched.get(30, TimeUnit.SECONDS);
        }
        Path copy = copyOfTheFile();
        try (Connection k = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("db"), "sa", "");
             Statement st = k.createStatement()) {
            ResultSet names = st.executeQuery("SELECT name FROM names WHERE id = 1");
            assertThat(names.next()).as("the row written in the overlapped write").isTrue();
            assertThat(names.getString(1)).isEqualTo("Ada");
            ResultSet marks = st.executeQuery("SELECT MAX(id) FROM marks");
            marks.next();
            assertThat(marks.getInt(1)).isEqualTo(2);
        }
    }

    /*
     * After a kill H2 looks for its newest write starting from the one its file header names, and follows each
     * write's guess of where the next went. It rewrites the header only now and then, so the path can be long, and a
     * write of its own into the reused space of a write on that path breaks it: the file reopened behind commits we
     * had vouched for (a harness copying the file between H2's writes: 53 of 898 vouched commits missing).
     */
    @Test
    void afterEachCheckpointTheFilesHeaderNamesTheWriteThatHoldsTheCommit() throws Exception {
        try (Connection c = pool.getConnection()) {
            for (int id = 1; id <= 5; id++) {
                mark(c, id);
                FeedEventLog.commitsToFile(c);
                assertThat(versionTheFileHeaderNames())
                        .as("the header after the checkpoint of mark %d", id)
                        .isEqualTo(TestDatabase.h2Store(c).getFileStore().lastChunkVersion());
            }
        }
    }

    @Test
    void theTimerPointsTheHeaderAtWritesH2MadeOnItsOwnBetweenCheckpoints() throws Exception {
        FeedEventLog eventLog = new FeedEventLog(new GraphStore(pool));
        try (Connection c = pool.getConnection()) {
            mark(c, 1);
            FeedEventLog.commitsToFile(c);
            long checkpointed = TestDatabase.h2Store(c).getFileStore().lastChunkVersion();
            for (int id = 2; id <= 4; id++) {
                mark(c, id);
                // as H2's background writer does, with nobody vouching for it
                TestDatabase.h2Store(c).tryCommit();
            }

            eventLog.keepFileReopenable();

            long newest = TestDatabase.h2Store(c).getFileStore().lastChunkVersion();
            assertThat(newest).as("H2 wrote on its own since the checkpoint").isGreaterThan(checkpointed);
            assertThat(versionTheFileHeaderNames()).isEqualTo(newest);
        }
    }

    /** The store version of the write the file's header names (its first block, which H2 reads first after a kill). */
    private long versionTheFileHeaderNames() throws java.io.IOException {
        byte[] block = new byte[4096];
        try (var in = Files.newInputStream(dir.resolve("db.mv.db"))) {
            assertThat(in.readNBytes(block, 0, block.length)).isEqualTo(block.length);
        }
        String header = new String(block, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("(?:^|,)version:([0-9a-f]+)").matcher(header);
        // a header written before the first write names none (H2 then finds its writes only by scanning the file)
        return version.find() ? Long.parseLong(version.group(1), 16) : 0;
    }

    private static void mark(Connection c, int id) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO marks VALUES (" + id + ")");
        }
    }

    /** A copy of the database file as it is now: what a process killed now leaves. */
    private Path copyOfTheFile() throws java.io.IOException {
        Path copy = Files.createDirectories(dir.resolve("copy-" + System.nanoTime()));
        Files.copy(dir.resolve("db.mv.db"), copy.resolve("db.mv.db"));
        return copy;
    }

    /** The highest mark in a copy of the database file as it is now: what a process killed now leaves. */
    private int marksInACopyOfTheFile() throws Exception {
        Path copy = copyOfTheFile();
        try (Connection k = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("db"), "sa", "");
             Statement st = k.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(id) FROM marks")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
