package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox writer on a real H2 inbox: deliveries that arrive together share one transaction, and each still
 * gets its own answer — stored, duplicate, or an error when the transaction failed.
 */
class WebhookGroupCommitTest {
    @TempDir
    Path dir;
    DataSource pool;
    /** Held closed, the writer waits for a connection: everything submitted meanwhile forms the next group. */
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicBoolean gateUsed = new AtomicBoolean();
    final AtomicBoolean failCommit = new AtomicBoolean();
    /** Keys another node stores just before our n-th group insert (1 = the gate's group). */
    final Map<Integer, String> otherNodeStoresBeforeGroupInsert = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger groupInserts = new AtomicInteger();
    final List<WebhookGroupCommit.Committed> commits = new CopyOnWriteArrayList<>();
    WebhookGroupCommit writer;

    @BeforeEach
    void inbox() {
        pool = TestDatabase.migrated(dir);
        writer = new WebhookGroupCommit(instrumented(pool), 100, commits::add);
    }

    @AfterEach
    void close() throws Exception {
        gate.countDown();
        writer.close();
        TestDatabase.close(pool);
    }

    private DataSource instrumented(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && gateUsed.compareAndSet(false, true)) {
                        assertThat(gate.await(10, TimeUnit.SECONDS)).isTrue();
                    }
                    Object result = invoke(real, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    private Connection connection(Connection real) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("commit") && failCommit.get()) {
                throw new SQLException("disk full (simulated)", "53100");
            }
            if (method.getName().equals("prepareStatement") && ((String) args[0]).startsWith("INSERT")
                    && !real.getAutoCommit()) {
                String key = otherNodeStoresBeforeGroupInsert.get(groupInserts.incrementAndGet());
                if (key != null) {
                    storeAsAnotherNode(key);
                }
            }
            return invoke(real, method, args);
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static WebhookGroupCommit.Row row(String key) {
        return new WebhookGroupCommit.Row("shopify", "shop", key, "customers/update", Instant.parse("2026-11-26T00:00:00Z"),
                ("{\"id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private List<String> storedKeys() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT dedup_key FROM webhook_inbox ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Submits the gate's row, waits until the writer is held at the gate, and returns that row's answer. */
    private CompletableFuture<Boolean> holdWriter() {
        CompletableFuture<Boolean> first = writer.store(row("gate"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(gateUsed::get);
        return first;
    }

    private static Boolean answer(CompletableFuture<Boolean> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void copiesOfOneEventInOneGroupAreStoredOnceAndOnlyTheFirstIsAccepted() throws Exception {
        CompletableFuture<Boolean> gateRow = holdWriter();
        insertRow("stored-yesterday", "done");
        List<CompletableFuture<Boolean>> copies = new ArrayList<>();
        CompletableFuture<Boolean> a = writer.store(row("a"));
        for (int i = 0; i < 5; i++) {
            copies.add(writer.store(row("x")));
        }
        CompletableFuture<Boolean> b = writer.store(row("b"));
        CompletableFuture<Boolean> old = writer.store(row("stored-yesterday"));
        // The same key at another store is another event.
        CompletableFuture<Boolean> otherStore = writer.store(new WebhookGroupCommit.Row("shopify", "other-shop", "x",
                "customers/update", Instant.now(), new byte[] {1}));
        gate.countDown();

        assertThat(answer(gateRow)).isTrue();
        assertThat(answer(a)).isTrue();
        assertThat(answer(b)).isTrue();
        assertThat(answer(otherStore)).isTrue();
        assertThat(answer(old)).as("stored by an earlier group").isFalse();
        List<Boolean> copyAnswers = new ArrayList<>();
        for (CompletableFuture<Boolean> f : copies) {
            copyAnswers.add(answer(f));
        }
        assertThat(copyAnswers).containsExactly(true, false, false, false, false);
        assertThat(storedKeys()).as("in arrival order, x once").containsExactly("stored-yesterday", "gate", "a", "x", "b", "x");
        assertThat(commits).extracting(WebhookGroupCommit.Committed::rows).as("the gate's row, then one group")
                .containsExactly(1, 4);
    }

    @Test
    void aFailedGroupCommitAnswersEveryDeliveryInItWithAnErrorAndStoresNothing() throws Exception {
        CompletableFuture<Boolean> gateRow = holdWriter();
        failCommit.set(true);
        List<CompletableFuture<Boolean>> group = new ArrayList<>();
        for (String key : List.of("p", "q", "q", "r")) {
            group.add(writer.store(row(key)));
        }
        gate.countDown();
        for (CompletableFuture<Boolean> f : List.of(gateRow, group.get(0), group.get(1), group.get(2), group.get(3))) {
            Assertions.assertThatThrownBy(() -> answer(f)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("disk full (simulated)");
        }
        assertThat(storedKeys()).isEmpty();
        assertThat(commits).isEmpty();

        // The platform retries: the same deliveries are stored now, as new events.
        failCommit.set(false);
        assertThat(answer(writer.store(row("p")))).isTrue();
        assertThat(answer(writer.store(row("q")))).isTrue();
        assertThat(storedKeys()).containsExactly("p", "q");
    }

    private void storeAsAnotherNode(String key) throws SQLException {
        insertRow(key, "pending");
    }

    private void insertRow(String key, String status) throws SQLException {
        try (Connection c = pool.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO"
                + " webhook_inbox (platform, store_id, dedup_key, topic, received_at, body, status)"
                + " VALUES ('shopify', 'shop', ?, 't', CURRENT_TIMESTAMP, ?, ?)")) {
            ps.setString(1, key);
            ps.setBytes(2, new byte[] {0});
            ps.setString(3, status);
            ps.executeUpdate();
        }
    }

    @Test
    void aKeyStoredByAnotherProcessDuringTheGroupIsAnsweredDuplicateAndTheRestAreStored() throws Exception {
        CompletableFuture<Boolean> gateRow = holdWriter();
        // Another node stores "m" just before our group's insert, which therefore meets it.
        otherNodeStoresBeforeGroupInsert.put(2, "m");
        CompletableFuture<Boolean> l = writer.store(row("l"));
        CompletableFuture<Boolean> m = writer.store(row("m"));
        CompletableFuture<Boolean> n = writer.store(row("n"));
        gate.countDown();
        assertThat(answer(gateRow)).isTrue();
        assertThat(answer(l)).isTrue();
        assertThat(answer(m)).as("the other node's copy counts").isFalse();
        assertThat(answer(n)).isTrue();
        assertThat(groupInserts.get()).as("the gate's group, ours meeting 'm', ours again without it").isEqualTo(3);
        assertThat(storedKeys()).containsExactly("gate", "m", "l", "n");
        assertThat(commits).extracting(WebhookGroupCommit.Committed::rows).containsExactly(1, 2);
    }

    @Test
    void whenAnotherProcessKeepsStoringKeysOfTheGroupEachDeliveryIsSettledOnItsOwn() throws Exception {
        CompletableFuture<Boolean> gateRow = holdWriter();
        // "m" arrives elsewhere before our group's insert, "n" after our look-up and before the second insert
        otherNodeStoresBeforeGroupInsert.put(2, "m");
        otherNodeStoresBeforeGroupInsert.put(3, "n");
        CompletableFuture<Boolean> l = writer.store(row("l"));
        CompletableFuture<Boolean> m = writer.store(row("m"));
        CompletableFuture<Boolean> n = writer.store(row("n"));
        gate.countDown();
        assertThat(answer(gateRow)).isTrue();
        assertThat(answer(l)).isTrue();
        assertThat(answer(m)).isFalse();
        assertThat(answer(n)).isFalse();
        assertThat(storedKeys()).containsExactly("gate", "m", "n", "l");
        assertThat(commits).extracting(WebhookGroupCommit.Committed::rows).containsExactly(1, 1);
    }
}
