package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes apply the webhook events stored in one PostgreSQL: each event is applied by exactly one of them, and
 * events a node took and never settled (it died) are applied by the other once its claim ran out.
 */
class WebhookInboxClaimTest {
    static final Duration CLAIM = Duration.ofSeconds(300);
    @TempDir
    Path dir;
    DataSource db;
    Instant now = Instant.parse("2026-12-03T08:00:00Z");
    /** How many times each stored event was handed to a node to apply. */
    final Map<Long, AtomicInteger> applies = new ConcurrentHashMap<>();

    @BeforeEach
    void database() {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share a database only on PostgreSQL");
        db = TestDatabase.migrated(dir);
    }

    @AfterEach
    void close() {
        TestDatabase.close(db);
    }

    /** One node's inbox, as WebhookBeans makes it on PostgreSQL, on the test's clock. */
    WebhookInboxRepository node() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return new WebhookInboxRepository(db, Duration.ofDays(3), null, clock, CLAIM);
    }

    void store(int events) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_inbox"
                + " (platform, store_id, dedup_key, topic, received_at, body, status) VALUES ('shopify', 'shop', ?,"
                + " 'customers/update', CURRENT_TIMESTAMP, ?, 'pending')")) {
            for (int i = 0; i < events; i++) {
                insert.setString(1, "e" + i);
                insert.setBytes(2, "{}".getBytes(StandardCharsets.UTF_8));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** What a node's webhook-process route does with a batch: apply each event, then settle the batch. */
    List<Long> take(WebhookInboxRepository node, int batch) throws Exception {
        List<Long> seqs = node.due(batch).stream().map(InboxEvent::seq).toList();
        seqs.forEach(seq -> applies.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet());
        return seqs;
    }

    @Test
    void aSecondNodePollingBeforeTheFirstSettledItsBatchTakesOtherEvents() throws Exception {
        store(100);
        WebhookInboxRepository a = node();
        WebhookInboxRepository b = node();
        List<Long> takenByA = take(a, 60);
        List<Long> takenByB = take(b, 60);
        a.mark(takenByA, "done", null);
        b.mark(takenByB, "done", null);
        assertThat(takenByA).hasSize(60);
        assertThat(takenByB).hasSize(40).doesNotContainAnyElementsOf(takenByA);
        assertThat(a.statusCounts()).containsEntry("done", 100L).containsEntry("working", 0L);
    }

    @Test
    void twoNodesPollingAtOnceApplyEveryEventExactlyOnce() throws Exception {
        store(3_000);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> batches = List.of(nodes.submit(() -> drain(node())), nodes.submit(() -> drain(node())));
            for (Future<Integer> f : batches) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            nodes.shutdownNow();
        }
        assertThat(applies).hasSize(3_000);
        assertThat(applies.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(node().statusCounts()).containsEntry("done", 3_000L).containsEntry("pending", 0L);
    }

    @Test
    void eventsANodeTookAndNeverSettledAreAppliedByAnotherOnceItsClaimRanOut() throws Exception {
        store(10);
        WebhookInboxRepository dead = node();
        WebhookInboxRepository survivor = node();
        assertThat(take(dead, 10)).hasSize(10); // ... and the node dies before marking them
        assertThat(survivor.due(10)).as("claimed by a node that may still be applying them").isEmpty();
        now = now.plus(CLAIM);
        List<Long> retaken = take(survivor, 10);
        survivor.mark(retaken, "done", null);
        assertThat(retaken).hasSize(10);
        assertThat(survivor.statusCounts()).containsEntry("done", 10L);
    }

    /**
     * The claim picks pending events and failed ones whose retry is due in two reads, merged by seq: a batch is still
     * the oldest due events whichever status they have, and applied events, failures not yet due and events another
     * node holds stay where they are.
     */
    @Test
    void aClaimTakesTheOldestDueEventsWhateverTheirStatus() throws Exception {
        store(12);
        WebhookInboxRepository node = node();
        List<InboxEvent> all = node.due(12);
        assertThat(all).extracting(InboxEvent::seq).isSorted().hasSize(12);
        long first = all.get(0).seq();
        node.mark(List.of(first, first + 1), "done", null);
        node.mark(List.of(first + 4, first + 5, first + 6, first + 7, first + 8, first + 9, first + 10, first + 11),
                "pending", null);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE webhook_inbox"
                + " SET status = 'failed', next_attempt_at = ? WHERE seq = ?")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(now.minusSeconds(1)));
            ps.setLong(2, first + 2);
            ps.addBatch();
            ps.setTimestamp(1, java.sql.Timestamp.from(now.plusSeconds(60)));
            ps.setLong(2, first + 3);
            ps.addBatch();
            ps.executeBatch();
        }
        // first+3 waits for its retry; first+2 is due and older than every pending event
        assertThat(node.due(3)).extracting(InboxEvent::seq).containsExactly(first + 2, first + 4, first + 5);
        assertThat(node.due(100)).extracting(InboxEvent::seq).containsExactly(first + 6, first + 7, first + 8, first + 9,
                first + 10, first + 11);
        now = now.plusSeconds(60);
        assertThat(node.due(100)).as("only the failure whose retry came due; the claims have not run out")
                .extracting(InboxEvent::seq).containsExactly(first + 3);
    }

    /** Takes small batches until the inbox has nothing due; returns how many batches it applied. */
    private int drain(WebhookInboxRepository node) throws Exception {
        int batches = 0;
        for (int round = 0; round < 10_000; round++) {
            List<Long> seqs = take(node, 25);
            if (seqs.isEmpty()) {
                return batches;
            }
            node.mark(seqs, "done", null);
            batches++;
        }
        throw new AssertionError("the inbox never ran dry");
    }
}
