package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed while the embedded database was committing: the transaction's undo log was already marked
 * committed and saved, its changes not yet applied. The next start must show the committed rows and keep working,
 * rather than leave them hidden behind a lock nobody holds (WebhookCrashIT met this after a kill -9).
 */
class H2CommitRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void aCommitUnderWayWhenTheProcessDiedIsFinishedWhenTheDatabaseOpens() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        killedMidCommit(url);

        DataSource db = Database.open(url, "sa", "", 2);
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT COUNT(*) FROM inbox")).as("both committed rows").isEqualTo(2);
            assertThat(count(st, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'"))
                    .as("the committed row found through the index").isEqualTo(2);
            st.execute("INSERT INTO inbox VALUES (3, 'pending')");
            st.execute("UPDATE inbox SET status = 'done' WHERE seq = 2");
            assertThat(count(st, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'")).isEqualTo(2);
        } finally {
            ((JdbcConnectionPool) db).dispose();
        }
    }

    @Test
    void aDatabaseStoppedCleanlyOpensAsItWas() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE inbox (seq BIGINT PRIMARY KEY, status VARCHAR(10) NOT NULL)");
            st.execute("INSERT INTO inbox VALUES (1, 'pending')");
        }
        DataSource db = Database.open(url, "sa", "", 2);
        try {
            assertThat(H2CommitRecovery.finishInterruptedCommits(db)).isZero();
            try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                assertThat(count(st, "SELECT COUNT(*) FROM inbox")).isEqualTo(1);
            }
        } finally {
            ((JdbcConnectionPool) db).dispose();
        }
    }

    /**
     * Leaves the file as H2 leaves it when its background writer saves between the two steps of a commit and the
     * process dies right after: the undo log marked committed (H2's own first step, called as H2 calls it), the
     * rows not yet applied, and nothing written after.
     */
    private static void killedMidCommit(String url) throws Exception {
        // Not closed: SHUTDOWN IMMEDIATELY drops them as a killed process's connections are dropped.
        Connection setup = DriverManager.getConnection(url, "sa", "");
        Connection writer = DriverManager.getConnection(url, "sa", "");
        Statement st = setup.createStatement();
        st.execute("CREATE TABLE inbox (seq BIGINT PRIMARY KEY, status VARCHAR(10) NOT NULL)");
        st.execute("CREATE INDEX inbox_by_status ON inbox (status, seq)");
        st.execute("INSERT INTO inbox VALUES (1, 'pending')");
        writer.setAutoCommit(false);
        try (Statement w = writer.createStatement()) {
            w.execute("INSERT INTO inbox VALUES (2, 'pending')");
        }
        SessionLocal session = (SessionLocal) writer.unwrap(JdbcConnection.class).getSession();
        Transaction tx = session.getTransaction();
        TransactionStore store = session.getDatabase().getStore().getTransactionStore();
        Field committing = TransactionStore.class.getDeclaredField("committingTransactions");
        committing.setAccessible(true);
        Object bits = ((AtomicReference<?>) committing.get(store)).get();
        Method version = bits.getClass().getMethod("getVersion");
        version.setAccessible(true);
        Method mark = TransactionStore.class.getDeclaredMethod("markUndoLogAsCommitted", int.class, long.class);
        mark.setAccessible(true);
        mark.invoke(store, tx.getId(), version.invoke(bits));
        st.execute("CHECKPOINT");
        st.execute("SHUTDOWN IMMEDIATELY");
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
