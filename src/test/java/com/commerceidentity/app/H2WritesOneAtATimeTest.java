package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.graph.GatedFiles;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed between two of embedded H2's own writes, where no checkpoint of the app has vouched for
 * anything, still leaves a file that reopens with every table. H2KillHarness once found one that reopened without a
 * table: H2 had put a write together while the one before it was still waiting to be placed, so it did not list it.
 */
class H2WritesOneAtATimeTest {
    @TempDir
    Path dir;
    private DataSource pool;
    private final ExecutorService backgroundWriter = Executors.newSingleThreadExecutor();
    private final ExecutorService anotherWriter = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        GatedFiles.open();
        backgroundWriter.shutdownNow();
        anotherWriter.shutdownNow();
        if (pool != null) {
            ((JdbcConnectionPool) pool).dispose();
        }
    }

    @Test
    void aKillBetweenTwoOfH2sOwnWritesLeavesAFileThatReopensWithEveryTable() throws Exception {
        Assumptions.assumeFalse(TestDatabase.postgres(), "about the embedded database's file");
        GatedFiles.register();
        pool = Database.open("jdbc:h2:gate:" + dir.resolve("db"), "sa", "", 4);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE marks (id INT PRIMARY KEY)");
            st.execute("CREATE TABLE names (id INT PRIMARY KEY, name VARCHAR(40))");
            st.execute("CHECKPOINT");
            MVStore store = TestDatabase.h2Store(c);

            GatedFiles.shut();
            st.execute("INSERT INTO marks VALUES (1)");
            // as H2's background writer does every write delay: a store of everything so far
            Future<?> first = backgroundWriter.submit(store::tryCommit);
            assertThat(GatedFiles.awaitAWrite()).as("H2's write of mark 1 waits at the gate").isPositive();
            int atTheGate = newestWriteBegun(store);
            st.execute("INSERT INTO names VALUES (1, 'Ada')");
            Future<?> second = anotherWriter.submit(store::tryCommit);
            second.get(30, TimeUnit.SECONDS);
            // The fault needs the next write put together now; that does not always lose a table (H2 sometimes
            // waits for the gated write's lock while it frees an old write), so the test looks at its cause.
            assertThat(newestWriteBegunWithin(store, atTheGate, 500))
                    .as("writes H2 began putting together while the one before waited to be placed")
                    .isEqualTo(atTheGate);
            st.execute("INSERT INTO marks VALUES (2)");
            Future<?> third = anotherWriter.submit(store::tryCommit);
            third.get(30, TimeUnit.SECONDS);

            GatedFiles.open();
            first.get(30, TimeUnit.SECONDS);
            // every write H2 has begun is in the file (its serialization thread done), nothing vouched
            store.getFileStore().executeFileStoreOperation(() -> { });
        }
        Path copy = Files.createDirectories(dir.resolve("as-killed"));
        Files.copy(dir.resolve("db.mv.db"), copy.resolve("db.mv.db"));
        try (Connection k = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("db"), "sa", "");
             Statement st = k.createStatement()) {
            ResultSet tables = st.executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                    + " WHERE table_schema = 'PUBLIC' AND table_name IN ('MARKS', 'NAMES')");
            tables.next();
            assertThat(tables.getInt(1)).as("tables in the file as killed").isEqualTo(2);
            ResultSet marks = st.executeQuery("SELECT COUNT(*) FROM marks WHERE id = 1");
            marks.next();
            assertThat(marks.getInt(1)).as("the mark of the write that had reached the file").isEqualTo(1);
        }
    }

    /** H2's number of the newest write it has begun to put together. */
    private static int newestWriteBegun(MVStore store) throws ReflectiveOperationException {
        Field newest = FileStore.class.getDeclaredField("lastChunkId");
        newest.setAccessible(true);
        return newest.getInt(store.getFileStore());
    }

    /** The newest write begun once it passed {@code known}, or {@code known} after {@code millis}. */
    private static int newestWriteBegunWithin(MVStore store, int known, long millis) throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        int newest = newestWriteBegun(store);
        while (newest == known && System.nanoTime() < until) {
            Thread.sleep(10);
            newest = newestWriteBegun(store);
        }
        return newest;
    }
}
