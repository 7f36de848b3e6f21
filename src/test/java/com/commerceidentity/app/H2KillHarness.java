package com.commerceidentity.app;

import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.graph.GraphStore;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Kills a process writing embedded H2 the way the app does, again and again, and says what each reopened file holds:
 * the evidence behind the two H2 faults docs/feed-format.md describes, and the check that the steps closing them
 * hold. Not a test (what it finds is rare and takes minutes to find); test scope, like
 * {@link com.commerceidentity.bench.PgBench}, for the app's recovery it uses.
 *
 * <p>The child (one JVM per kill) writes as the graph writer does: each transaction adds 1,000 identities, 1,000
 * accounts (two secondary indexes) and their 1,000 events, events last; then, on a connection of its own and after a
 * checkpoint, it saves how many it has committed, as a sync watermark is saved. Beside it a webhook-like writer stores
 * small rows every 2 ms and marks them applied after a checkpoint, a publisher checkpoints every 3 ms, and the
 * embedded database's timer runs every 10 s. The parent kills the child with SIGKILL after a random time, copies the
 * file as killed, reopens it as the app does (H2's own recovery, {@link H2CommitRecovery}, then
 * {@link H2UncommittedLeftovers}) and checks that the mark vouches for no more than the tables hold and that every
 * table holds whole transactions. A file that breaks either is kept beside the data directory
 * ({@code <dir>-broken-<kill>}, with the file as killed), and the next kill starts from an empty file.
 *
 * <pre>mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     com.commerceidentity.app.H2KillHarness /tmp/h2kill/d 60 11 8000</pre>
 *
 * Arguments: the data directory, how many kills, the seed of the kill times, the longest time (ms) a child writes
 * before it is killed. Run it beside a busy loop or two: the faults need H2's threads to be descheduled at the wrong
 * moment. What it found is in docs/feed-format.md (230 kills before {@link H2UncommittedLeftovers} and
 * {@link H2WritesOneAtATime}: two files with rows of a batch that never committed, one without a table).
 */
public final class H2KillHarness {
    private static final int BATCH = 1_000;
    private static final long REST_MILLIS = 400;
    /**
     * {@code -Dh2kill.undo-log-after-tables=true}: the writer's transaction gets a number whose undo log H2 creates
     * after the tables, so that a store takes the tables first, as it does in the app once the unclean-stop rebuild
     * has given the tables new map ids. Without it the writer's undo log is the file's first and is taken first.
     */
    private static final String UNDO_LOG_AFTER_TABLES = "h2kill.undo-log-after-tables";

    private H2KillHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            child(Path.of(args[1]));
        } else if (args.length == 4) {
            kill(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
        } else {
            throw new IllegalArgumentException("arguments: <data dir> <kills> <seed> <longest write ms>");
        }
    }

    /**
     * The file opened as the app opens its own ({@link Database#open}: its page cache and compression, and the commits
     * a kill left half done finished by {@link H2CommitRecovery}).
     */
    private static JdbcConnectionPool open(Path dir) {
        return (JdbcConnectionPool) Database.open("jdbc:h2:file:" + dir.resolve("db"), "sa", "", 16);
    }

    private static void kill(Path dir, int kills, long seed, int longestMillis) throws Exception {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        Path asKilled = dir.resolveSibling(dir.getFileName() + "-as-killed");
        int broken = 0;
        for (int kill = 1; kill <= kills; kill++) {
            Process child = new ProcessBuilder("java", "-Xmx256m", "-D" + UNDO_LOG_AFTER_TABLES + "="
                    + Boolean.getBoolean(UNDO_LOG_AFTER_TABLES), "-cp", System.getProperty("java.class.path"),
                    H2KillHarness.class.getName(), "child", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(dir.resolve("child.log")).contains("writing")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300 + random.nextInt(longestMillis));
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            Files.createDirectories(asKilled);
            Files.copy(dir.resolve("db.mv.db"), asKilled.resolve("db.mv.db"), StandardCopyOption.REPLACE_EXISTING);
            String verdict = reopen(dir);
            System.out.println("kill " + kill + ": " + verdict);
            if (!verdict.startsWith("whole")) {
                broken++;
                Path kept = dir.resolveSibling(dir.getFileName() + "-broken-" + kill);
                Files.createDirectories(kept);
                Files.copy(asKilled.resolve("db.mv.db"), kept.resolve("db-as-killed.mv.db"));
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.move(f, kept.resolve(f.getFileName()));
                    }
                }
            }
        }
        System.out.println(kills + " kills, " + broken + " files not whole");
    }

    /** What the reopened file holds: "whole ..." when the mark and every table agree, else what broke. */
    private static String reopen(Path dir) {
        JdbcConnectionPool pool = null;
        try {
            pool = open(dir);
            // as the app's start after an unclean stop does before anything reads a row
            int leftovers = H2UncommittedLeftovers.rollBack(pool);
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                long vouched = one(st, "SELECT vouched FROM mark WHERE id = 1");
                long identities = one(st, "SELECT COUNT(*) FROM identity");
                long accounts = one(st, "SELECT COUNT(*) FROM account");
                long events = one(st, "SELECT COUNT(*) FROM event");
                long newest = one(st, "SELECT COALESCE(MAX(seq), 0) FROM event");
                boolean whole = vouched <= accounts && identities == accounts && accounts == events
                        && events == newest && newest % BATCH == 0;
                return (whole ? "whole" : "NOT WHOLE") + " vouched=" + vouched + " identities=" + identities
                        + " accounts=" + accounts + " events=" + events + " newest event=" + newest
                        + (leftovers > 0 ? " (" + leftovers + " rows of a batch that never committed rolled back)"
                        : "");
            }
        } catch (Exception e) {
            return "NOT OPENED WHOLE " + e.getMessage().lines().findFirst().orElse("");
        } finally {
            if (pool != null) {
                pool.dispose();
            }
        }
    }

    /** The writer's transaction and the order in which a store takes its undo log and the tables' maps. */
    private static String storeOrder(Connection c) throws Exception {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        int tx = session.getTransaction().getId();
        MVStore store = session.getDatabase().getStore().getMvStore();
        Field maps = MVStore.class.getDeclaredField("maps");
        maps.setAccessible(true);
        StringBuilder order = new StringBuilder("transaction " + tx + "; a store takes");
        for (Object m : ((Map<?, ?>) maps.get(store)).values()) {
            String name = ((MVMap<?, ?>) m).getName();
            if (name != null && (name.startsWith("table.") || name.equals("undoLog." + tx))) {
                order.append(' ').append(name);
            }
        }
        return order.toString();
    }

    /** Idle transactions on the first numbers, held for the child's life, so the writer's comes after them. */
    private static void holdTheFirstTransactionNumbers(JdbcConnectionPool pool) throws SQLException {
        for (int i = 0; i < 4; i++) {
            Connection idle = pool.getConnection();
            idle.setAutoCommit(false);
            try (Statement st = idle.createStatement()) {
                one(st, "SELECT COUNT(*) FROM mark");
            }
        }
    }

    private static void child(Path dir) throws Exception {
        JdbcConnectionPool pool = open(dir);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS identity (id VARCHAR(40) PRIMARY KEY, body VARCHAR(300))");
            st.execute("CREATE TABLE IF NOT EXISTS account (k VARCHAR(100) PRIMARY KEY, identity_id VARCHAR(40) NOT NULL,"
                    + " email VARCHAR(200), body VARCHAR(400))");
            st.execute("CREATE INDEX IF NOT EXISTS account_email ON account (email)");
            st.execute("CREATE INDEX IF NOT EXISTS account_identity ON account (identity_id)");
            st.execute("CREATE TABLE IF NOT EXISTS event (seq BIGINT PRIMARY KEY, k VARCHAR(100), body VARBINARY(1000) NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS inbox (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                    + " dedup VARCHAR(100) NOT NULL UNIQUE, status VARCHAR(10) NOT NULL, body VARBINARY(2000) NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS inbox_status ON inbox (status, seq)");
            st.execute("CREATE TABLE IF NOT EXISTS mark (id INT PRIMARY KEY, vouched BIGINT NOT NULL)");
            st.execute("INSERT INTO mark SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM mark)");
        }
        FeedEventLog embeddedTimer = new FeedEventLog(new GraphStore(pool));
        background(() -> {
            try (Connection c = pool.getConnection()) {
                while (true) {
                    FeedEventLog.commitsToFile(c);
                    Thread.sleep(3);
                }
            }
        });
        background(() -> {
            while (true) {
                Thread.sleep(10_000);
                embeddedTimer.keepFileReopenable();
            }
        });
        background(() -> webhooks(pool));
        if (Boolean.getBoolean(UNDO_LOG_AFTER_TABLES)) {
            holdTheFirstTransactionNumbers(pool);
        }
        long seq;
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            seq = one(st, "SELECT COALESCE(MAX(seq), 0) FROM event");
        }
        long firstSeq = seq;
        System.out.println("writing after " + seq);
        System.out.flush();
        Random random = new Random();
        String pad = "x".repeat(300);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            while (true) {
                try (PreparedStatement identity = c.prepareStatement("INSERT INTO identity VALUES (?, ?)");
                     PreparedStatement account = c.prepareStatement("INSERT INTO account VALUES (?, ?, ?, ?)");
                     PreparedStatement event = c.prepareStatement("INSERT INTO event VALUES (?, ?, ?)")) {
                    for (int i = 0; i < BATCH; i++) {
                        seq++;
                        identity.setString(1, "i" + seq);
                        identity.setString(2, pad);
                        identity.addBatch();
                        account.setString(1, "k" + seq);
                        account.setString(2, "i" + seq);
                        account.setString(3, "e" + random.nextInt(1_000_000_000) + "@x.io");
                        account.setString(4, pad);
                        account.addBatch();
                        event.setLong(1, seq);
                        event.setString(2, "k" + seq);
                        event.setBytes(3, (pad + seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        event.addBatch();
                    }
                    identity.executeBatch();
                    if (seq == firstSeq + BATCH) {
                        System.out.println("writer: " + storeOrder(c));
                        System.out.flush();
                    }
                    account.executeBatch();
                    event.executeBatch();
                }
                c.commit();
                // as SyncStateStore.save after a page: a checkpoint, then the mark, on a connection of its own
                try (Connection marks = pool.getConnection();
                     PreparedStatement mark = marks.prepareStatement("UPDATE mark SET vouched = ? WHERE id = 1")) {
                    FeedEventLog.commitsToFile(marks);
                    mark.setLong(1, seq);
                    mark.executeUpdate();
                }
                Thread.sleep(REST_MILLIS);
            }
        }
    }

    /** Stores a delivery every 2 ms and marks each 50 applied after a checkpoint, dropping their bodies. */
    private static void webhooks(JdbcConnectionPool pool) throws Exception {
        byte[] body = "w".repeat(900).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long n = System.nanoTime();
        try (Connection c = pool.getConnection();
             PreparedStatement store = c.prepareStatement("INSERT INTO inbox (dedup, status, body) VALUES (?, 'pending', ?)");
             Statement mark = c.createStatement()) {
            while (true) {
                for (int i = 0; i < 50; i++) {
                    store.setString(1, "d" + n++);
                    store.setBytes(2, body);
                    store.executeUpdate();
                    Thread.sleep(2);
                }
                FeedEventLog.commitsToFile(c);
                mark.executeUpdate("UPDATE inbox SET status = 'done', body = X'' WHERE status = 'pending'");
            }
        }
    }

    @FunctionalInterface
    private interface Loop {
        void run() throws Exception;
    }

    private static void background(Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static long one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
