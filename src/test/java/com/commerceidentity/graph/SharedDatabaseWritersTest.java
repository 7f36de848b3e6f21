package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.Platform;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes writing one PostgreSQL graph at the same time, as two app processes do: one feed with one gap-free
 * seq order, every account announced once, and accounts that share an email in one live identity whichever node
 * saw them. (Embedded H2 is opened by one process only: there is no second writer to test there.)
 */
class SharedDatabaseWritersTest {
    static final int BATCHES = 30;
    static final int PER_BATCH = 5;
    static final int EMAILS = 40;

    @TempDir
    Path dir;

    @Test
    void twoNodesWritingAtOnceShareOneGapFreeFeedAndOneConsistentGraph() throws Exception {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several writers share a database only on PostgreSQL");
        try (GraphFixture a = new GraphFixture(dir, false); GraphFixture b = new GraphFixture(dir, false)) {
            b.eventLog.followDatabase(50, 1000);
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                Future<?> fromA = nodes.submit(() -> write(a, Platform.of("shopify")));
                Future<?> fromB = nodes.submit(() -> write(b, Platform.of("bigcommerce")));
                fromA.get(120, TimeUnit.SECONDS);
                fromB.get(120, TimeUnit.SECONDS);
            } finally {
                nodes.shutdownNow();
            }

            List<Long> seqs = column(a, "SELECT seq FROM feed_events ORDER BY seq");
            assertThat(seqs).as("one gap-free order for both nodes")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());

            Map<String, Long> announced = new HashMap<>();
            try (Connection c = a.store.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT account_key, COUNT(*) FROM feed_events WHERE event_type IN ('"
                         + FeedEvent.IDENTITY_CREATED + "', '" + FeedEvent.ACCOUNT_LINKED + "') GROUP BY account_key")) {
                while (rs.next()) {
                    announced.put(rs.getString(1), rs.getLong(2));
                }
            }
            assertThat(announced).as("every account of both nodes announced once").hasSize(2 * BATCHES * PER_BATCH);
            assertThat(announced.values()).containsOnly(1L);

            List<Long> identitiesPerEmail = column(a, "SELECT COUNT(DISTINCT a.identity_id) FROM accounts a JOIN"
                    + " identities i ON i.id = a.identity_id WHERE i.merged_into IS NULL AND NOT i.deleted"
                    + " GROUP BY a.email_norm");
            assertThat(identitiesPerEmail).as("each email's accounts are in exactly one live identity")
                    .hasSize(EMAILS).containsOnly(1L);
            assertThat(column(a, "SELECT COUNT(*) FROM accounts a JOIN identities i ON i.id = a.identity_id"
                    + " WHERE i.merged_into IS NOT NULL OR i.deleted")).as("no account left in a merged identity")
                    .containsExactly(0L);

            long newest = seqs.get(seqs.size() - 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> b.eventLog.publishedSeq() == newest);
            assertThat(b.eventLog.eventsAfter(0, seqs.size() + 10)).as("node B serves node A's events too")
                    .extracting(FeedEvent::seq).containsExactlyElementsOf(seqs);
            b.eventLog.close();
        }
    }

    /**
     * The writer lock reads where the feed stands after it is held: the newest event, or the horizon when retention
     * deleted every event another node numbered. Those numbers stay taken.
     */
    @Test
    void aNodeNumbersAfterEventsAnotherNodeNumberedEvenWhenRetentionDeletedThem() throws Exception {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several writers share a database only on PostgreSQL");
        try (GraphFixture a = new GraphFixture(dir, false); GraphFixture b = new GraphFixture(dir, false)) {
            Platform shopify = Platform.of("shopify");
            List<FeedEvent> fromA = a.apply(a.account(shopify, "a-1", "one@shop.io", "2024-01-01T00:00:00Z"),
                    a.account(shopify, "a-2", "two@shop.io", "2024-01-01T00:00:00Z"));
            long newest = fromA.get(fromA.size() - 1).seq();
            assertThat(b.apply(b.account(shopify, "b-1", "three@shop.io", "2024-01-01T00:00:00Z")))
                    .extracting(FeedEvent::seq).containsExactly(newest + 1);
            try (Connection c = a.store.connection(); Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM feed_events");
                st.executeUpdate("UPDATE feed_history SET horizon_seq = " + (newest + 1) + " WHERE id = 1");
            }
            assertThat(a.apply(a.account(shopify, "a-3", "four@shop.io", "2024-01-01T00:00:00Z")))
                    .as("node A last numbered %s itself; node B numbered %s, since deleted", newest, newest + 1)
                    .extracting(FeedEvent::seq).containsExactly(newest + 2);
        }
    }

    private static Void write(GraphFixture node, Platform platform) throws Exception {
        for (int i = 0; i < BATCHES; i++) {
            List<Account> batch = new ArrayList<>();
            for (int j = 0; j < PER_BATCH; j++) {
                int n = i * PER_BATCH + j;
                batch.add(node.account(platform, platform.id() + "-" + n, "person" + (n % EMAILS) + "@shop.io",
                        "2024-01-01T00:00:00Z"));
            }
            node.apply(batch.toArray(Account[]::new));
        }
        return null;
    }

    private static List<Long> column(GraphFixture f, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = f.store.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
