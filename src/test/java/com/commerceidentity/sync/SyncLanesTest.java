package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shopify REST customers page by cursor: a run counts its range, cuts it into time windows and walks them side
 * by side (one request in flight per lane), yet hands pages to the graph in time order, so the watermark stays
 * exact, a run cut short resumes without loss or duplicates, and the store's bucket still never answers 429.
 */
class SyncLanesTest {
    private static final String STORE = "shopify-sandbox";

    @TempDir
    Path dir;

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "300");
        s.put("stores.shopify-sandbox.sync.customers.page-size", "10");
        s.put("stores.shopify-sandbox.sync.bulk", "off");
        s.put("stores.shopify-sandbox.sync.max-in-flight", "3");
        // answers slow enough that one request at a time keeps a single one at the store
        s.put("sandbox.shopify.latency-ms", "80");
        return s;
    }

    private static Instant updatedAt(JsonNode c) {
        return OffsetDateTime.parse(c.get("updated_at").asText()).toInstant();
    }

    /** The store's customers in the order a single walk reads them: update time, then id. */
    private static List<JsonNode> inTimeOrder(Simulator sim) {
        return sim.records().list(RecordControl.CUSTOMER).stream()
                .sorted(Comparator.comparing(SyncLanesTest::updatedAt)
                        .thenComparingLong(c -> c.get("id").asLong()))
                .toList();
    }

    private static String key(JsonNode c) {
        return "shopify:" + STORE + ":customer:" + c.get("id").asText();
    }

    @Test
    void lanesKeepSeveralRequestsInFlightAndHandPagesOnInTimeOrderEachCustomerOnce() throws Exception {
        try (SyncHarness h = new SyncHarness(dir, settings())) {
            Simulator sim = h.simulator(STORE);
            List<JsonNode> ordered = inTimeOrder(sim);
            // every record of every page as it enters ingest, in the order pages reach it
            List<Instant> handedOn = new ArrayList<>();
            AdviceWith.adviceWith(h.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                    .before().process(ex -> {
                        for (Object o : ex.getMessage().getBody(List.class)) {
                            RawRecord r = (RawRecord) o;
                            if (r.json() != null) {
                                handedOn.add(updatedAt(r.json()));
                            }
                        }
                    }));
            Map<String, Object> run = h.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed").containsEntry("lanes", 3);
            assertThat(sim.counters().maxInFlight()).as("requests the store held at once").isBetween(2, 3);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(ordered.stream().map(SyncLanesTest::key).toList());
            assertThat(added.values()).containsOnly(1);
            assertThat(handedOn).as("records reach ingest in update-time order across lanes").isSorted();
            assertThat(handedOn).hasSize(ordered.size());
            assertThat(run).containsEntry("watermark", updatedAt(ordered.get(ordered.size() - 1)).toString());
            assertThat(run).containsEntry("rateLimited", 0L);
        }
    }

    /**
     * A commit failing on a page of the second lane, while the third lane's pages are already back: the watermark
     * is that of the page before, nothing of the third lane is in the graph, and the next run completes the store
     * with every customer once.
     */
    @Test
    void aRunCutShortInTheSecondLaneResumesWithoutLossOrDuplicates() throws Exception {
        Map<String, String> s = settings();
        List<JsonNode> ordered;
        Map<String, Object> broken;
        Map<String, Integer> committed;
        int maxInFlight;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            Simulator sim = first.simulator(STORE);
            ordered = inTimeOrder(sim);
            AtomicInteger pages = new AtomicInteger();
            // page 1, then three lanes of about ten pages each: page 16 is in the second
            AdviceWith.adviceWith(first.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                    .before().process(ex -> {
                        if (pages.incrementAndGet() == 16) {
                            throw new IllegalStateException("graph store unavailable");
                        }
                    }));
            broken = first.run(STORE, "customers");
            maxInFlight = sim.counters().maxInFlight();
            committed = first.accountsAdded(STORE);
        }
        assertThat(broken).containsEntry("outcome", "failed");
        assertThat(maxInFlight).as("lanes walked side by side").isGreaterThanOrEqualTo(2);
        List<String> inOrder = ordered.stream().map(SyncLanesTest::key).toList();
        int n = ((Long) broken.get("records")).intValue();
        assertThat(n).isLessThan(150);
        if (n > 0) {
            // what is committed is a prefix of the store in time order, and the watermark its last record's time
            assertThat(committed.keySet()).containsAll(inOrder.subList(0, n));
            assertThat(broken).containsEntry("watermark", updatedAt(ordered.get(n - 1)).toString());
        }
        // at most the pages before the failing one (15 of at most 10 records): nothing fetched ahead in lane 3
        assertThat(inOrder.subList(0, 150)).containsAll(committed.keySet());

        try (SyncHarness second = new SyncHarness(dir, s)) {
            assertThat(second.run(STORE, "customers")).containsEntry("outcome", "completed");
            Map<String, Integer> added = second.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(inOrder);
            assertThat(added.values()).containsOnly(1);
        }
    }

    /**
     * The app stops while three lanes are out and pages of later lanes wait for their turn: what it committed is a
     * prefix in time order, and after a restart every customer is in the feed once.
     */
    @Test
    void theAppStoppedMidRunResumesAfterARestartWithEveryCustomerOnce() throws Exception {
        Map<String, String> s = settings();
        List<String> inOrder;
        Map<String, Integer> before;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            Simulator sim = first.simulator(STORE);
            inOrder = inTimeOrder(sim).stream().map(SyncLanesTest::key).toList();
            first.app.context().createProducerTemplate().asyncSend("direct:sync-run", ex -> {
                ex.getMessage().setHeader(com.commerceidentity.store.StoreCalls.STORE_ID, STORE);
                ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
            });
            // well into the lanes (page 1 and the counts come first), well before the run's 30-odd requests end
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> sim.counters().total() >= 14);
            assertThat(sim.counters().maxInFlight()).as("lanes walked side by side").isGreaterThanOrEqualTo(2);
        }
        try (SyncHarness second = new SyncHarness(dir, s)) {
            before = second.accountsAdded(STORE);
            // nothing of a later lane got in ahead of an earlier one
            assertThat(inOrder.subList(0, before.size())).containsExactlyInAnyOrderElementsOf(before.keySet());
            assertThat(second.run(STORE, "customers")).containsEntry("outcome", "completed");
            Map<String, Integer> added = second.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(inOrder);
            assertThat(added.values()).containsOnly(1);
        }
        assertThat(before.size()).as("stopped mid-run").isLessThan(inOrder.size());
    }

    /**
     * A small bucket (8 deep, 10 a second) the run's 30-odd requests overflow several times: with three lanes in
     * flight the budget alone still paces them, and the store never answers 429.
     */
    @Test
    void threeLanesInsideASmallBucketDrawNo429() throws Exception {
        Map<String, String> s = settings();
        s.put("sandbox.shopify.bucketCapacity", "8");
        s.put("sandbox.shopify.leakPerSecond", "10");
        s.put("stores.shopify-sandbox.budget.leak-per-second", "10");
        s.put("stores.shopify-sandbox.sync.lanes", "3"); // as set: the bucket alone would size two
        try (SyncHarness h = new SyncHarness(dir, s)) {
            Simulator sim = h.simulator(STORE);
            Map<String, Object> run = h.run(STORE, "customers");
            assertThat(run).containsEntry("outcome", "completed").containsEntry("lanes", 3);
            assertThat(sim.counters().tooManyRequests()).as("429s the store answered").isZero();
            assertThat(run).containsEntry("rateLimited", 0L);
            assertThat(sim.counters().maxInFlight()).isBetween(2, 3);
            assertThat(sim.counters().total()).as("more requests than the bucket holds").isGreaterThan(8);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added).hasSize(inTimeOrder(sim).size());
            assertThat(added.values()).containsOnly(1);
        }
    }
}
