package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.AdviceWith;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shopify REST customers page by cursor: a run counts its range, cuts it into time windows and walks them side
 * by side (one request in flight per lane), handing each lane's pages to the graph as they come back. The saved
 * watermark is the committed progress of the earliest lane not finished, so it never passes a record not yet in
 * the graph; a run cut short resumes without loss or duplicates, and the store's bucket still never answers 429.
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

    /**
     * The customers a saved watermark says are committed (updated before it, or at it and named there) that the
     * feed does not have: none, or the watermark passed a record not yet in the graph.
     */
    private static List<String> passedUncommitted(SyncState saved, List<JsonNode> customers, Set<String> inFeed) {
        if (saved.watermark() == null) {
            return List.of();
        }
        return customers.stream()
                .filter(c -> updatedAt(c).isBefore(saved.watermark()) || updatedAt(c).equals(saved.watermark())
                        && saved.seenAtWatermark().contains(c.get("id").asText()))
                .map(SyncLanesTest::key)
                .filter(k -> !inFeed.contains(k))
                .toList();
    }

    @Test
    void lanesKeepSeveralRequestsInFlightAndTheWatermarkNeverPassesARecordNotYetCommitted() throws Exception {
        try (SyncHarness h = new SyncHarness(dir, settings())) {
            Simulator sim = h.simulator(STORE);
            List<JsonNode> ordered = inTimeOrder(sim);
            // every record of every page as it enters ingest, in the order pages reach it
            List<Instant> handedOn = new ArrayList<>();
            // as each page enters ingest: customers the saved watermark claims that the feed does not have
            List<String> passed = new ArrayList<>();
            AdviceWith.adviceWith(h.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                    .before().process(ex -> {
                        for (Object o : ex.getMessage().getBody(List.class)) {
                            RawRecord r = (RawRecord) o;
                            if (r.json() != null) {
                                handedOn.add(updatedAt(r.json()));
                            }
                        }
                        // the watermark first: what it claims was committed before it was saved
                        SyncState saved = h.saved(STORE, "customers");
                        passed.addAll(passedUncommitted(saved, ordered, h.accountsAdded(STORE).keySet()));
                    }));
            Map<String, Object> run = h.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed").containsEntry("lanes", 3);
            assertThat(sim.counters().maxInFlight()).as("requests the store held at once").isBetween(2, 3);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(ordered.stream().map(SyncLanesTest::key).toList());
            assertThat(added.values()).containsOnly(1);
            assertThat(passed).as("customers under the saved watermark not yet in the feed").isEmpty();
            assertThat(handedOn).as("each customer handed on once, the cuts' shared records too").hasSize(ordered.size());
            assertThat(Instant.parse((String) run.get("watermark"))).as("the watermark: every customer is read up to it")
                .isAfterOrEqualTo(updatedAt(ordered.get(ordered.size() - 1)))
                .isBefore(Instant.parse((String) run.get("startedAt")));
            assertThat(run).containsEntry("rateLimited", 0L);
        }
    }

    /** A Shopify Plus shop (80 deep, 20 a second): a budget one walk cannot keep busy, where backfills count early. */
    private static Map<String, String> plus(Map<String, String> s) {
        s.put("sandbox.shopify.bucketCapacity", "80");
        s.put("sandbox.shopify.leakPerSecond", "20");
        s.put("stores.shopify-sandbox.budget.plan", "plus");
        return s;
    }

    /** Each request of the run as it leaves for the store ("sent <path>") and as its answer is back ("answered <path>"). */
    private static List<String> storeCalls(SyncHarness h) throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        AdviceWith.adviceWith(h.app.context(), "sync-fetch", a -> {
            a.weaveByToUri("direct:store-call").before().process(ex -> calls.add("sent "
                    + ex.getMessage().getHeader(org.apache.camel.Exchange.HTTP_PATH, String.class)));
            a.weaveByToUri("direct:store-call").after().process(ex -> calls.add("answered "
                    + ex.getMessage().getHeader(org.apache.camel.Exchange.HTTP_PATH, String.class)));
        });
        return calls;
    }

    /** On Shopify's standard bucket a backfill counts only after a full first page, as incremental runs do. */
    @Test
    void onTheStandardBucketABackfillCountsAfterItsFirstPage() throws Exception {
        List<String> calls;
        try (SyncHarness h = new SyncHarness(dir, settings())) {
            calls = storeCalls(h);
            assertThat(h.run(STORE, "customers")).containsEntry("outcome", "completed");
        }
        assertThat(calls.subList(0, 3)).as("the first page, its answer, then the count")
                .satisfies(c -> assertThat(c.get(0)).endsWith("/customers.json").startsWith("sent "))
                .satisfies(c -> assertThat(c.get(1)).startsWith("answered "))
                .satisfies(c -> assertThat(c.get(2)).endsWith("/customers/count.json").startsWith("sent "));
    }

    /**
     * On Plus a backfill counts its range while its first page is still out, so the lanes start one round trip after
     * the run does instead of two (issue #16); the count sent with it is of the whole range, and the lanes still read
     * every customer once.
     */
    @Test
    void aBackfillSendsItsCountWhileItsFirstPageIsStillOut() throws Exception {
        Map<String, String> s = plus(settings());
        s.put("sandbox.shopify.latency-ms", "300");
        try (SyncHarness h = new SyncHarness(dir, s)) {
            Simulator sim = h.simulator(STORE);
            List<JsonNode> ordered = inTimeOrder(sim);
            List<String> calls = storeCalls(h);
            Map<String, Object> run = h.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed").containsEntry("lanes", 3);
            assertThat(calls.subList(0, 2)).as("the first two requests, both before any answer")
                    .allMatch(c -> c.startsWith("sent "))
                    .anyMatch(c -> c.endsWith("/customers.json")).anyMatch(c -> c.endsWith("/customers/count.json"));
            assertThat(calls.stream().filter(c -> c.startsWith("sent ") && c.endsWith("/count.json")))
                    .as("counts: the one sent with the first page").hasSize(1);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(ordered.stream().map(SyncLanesTest::key).toList());
            assertThat(added.values()).containsOnly(1);
        }
    }

    /** A backfill whose first page is its last: the count sent with it is left unread, and the run completes. */
    @Test
    void aBackfillOfOnePageLeavesTheCountSentWithItUnread() throws Exception {
        Map<String, String> s = plus(settings());
        s.put("sandbox.customers", "6");
        try (SyncHarness h = new SyncHarness(dir, s)) {
            Simulator sim = h.simulator(STORE);
            Map<String, Object> run = h.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed").containsEntry("pages", 1L)
                    .containsEntry("records", (long) inTimeOrder(sim).size()).doesNotContainKey("lanes");
            assertThat(sim.counters().total()).as("requests: the first page and the count").isEqualTo(2);
            assertThat(h.accountsAdded(STORE)).hasSize(inTimeOrder(sim).size());
            // the next run is incremental: it counts only when its first page names a next one
            sim.counters().reset();
            assertThat(h.run(STORE, "customers")).containsEntry("outcome", "completed");
            assertThat(sim.counters().total()).as("requests of the incremental run").isEqualTo(1);
        }
    }

    /**
     * Four customers changed just before the run leave the last lane's window fewer than a page: the store answers
     * that page with no Link at all, and the lane ends there. Read with the headers of the answer before it (the
     * first page's, whose cursor runs on from the start of the shop), the lane would walk the whole shop again.
     */
    @Test
    void aLaneWhoseWindowFitsOnePageEndsWithThatPage() throws Exception {
        try (SyncHarness h = new SyncHarness(dir, settings())) {
            Simulator sim = h.simulator(STORE);
            List<JsonNode> before = inTimeOrder(sim);
            for (int i = 0; i < 4; i++) {
                sim.records().touch(RecordControl.CUSTOMER, before.get(i * 50).get("id").asText());
            }
            List<JsonNode> ordered = inTimeOrder(sim);
            Map<String, Object> run = h.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed").containsEntry("records", (long) ordered.size());
            int lanes = ((Number) run.get("lanes")).intValue() + ((Number) run.get("laneTakeovers")).intValue();
            assertThat(sim.counters().total()).as("requests: the first page, the count, and each lane's pages")
                    .isLessThanOrEqualTo(1 + 1 + ordered.size() / 10 + 2 * lanes);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added).hasSize(ordered.size());
            assertThat(added.values()).containsOnly(1);
        }
    }

    /**
     * A commit failing midway, with pages of every lane handed on around it: the run fails, the saved watermark
     * passes no customer missing from the graph, and the next run completes the store with every customer once.
     */
    @Test
    void aCommitFailingMidLanesFailsTheRunAndTheNextRunCompletesWithoutLossOrDuplicates() throws Exception {
        Map<String, String> s = settings();
        List<JsonNode> ordered;
        Map<String, Object> broken;
        Map<String, Integer> committed;
        SyncState saved;
        int maxInFlight;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            Simulator sim = first.simulator(STORE);
            ordered = inTimeOrder(sim);
            AtomicInteger pages = new AtomicInteger();
            // page 1, then three lanes of about ten pages each, interleaved: page 16 is well inside the lanes
            AdviceWith.adviceWith(first.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                    .before().process(ex -> {
                        if (pages.incrementAndGet() == 16) {
                            throw new IllegalStateException("graph store unavailable");
                        }
                    }));
            broken = first.run(STORE, "customers");
            maxInFlight = sim.counters().maxInFlight();
            committed = first.accountsAdded(STORE);
            saved = first.saved(STORE, "customers");
        }
        assertThat(broken).containsEntry("outcome", "failed");
        assertThat(maxInFlight).as("lanes walked side by side").isGreaterThanOrEqualTo(2);
        List<String> inOrder = ordered.stream().map(SyncLanesTest::key).toList();
        // at most the pages before the failing one (15 of at most 10 records)
        assertThat(committed.size()).isLessThanOrEqualTo(150);
        assertThat(passedUncommitted(saved, ordered, committed.keySet())).as("under the watermark, not committed").isEmpty();

        try (SyncHarness second = new SyncHarness(dir, s)) {
            assertThat(second.run(STORE, "customers")).containsEntry("outcome", "completed");
            Map<String, Integer> added = second.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(inOrder);
            assertThat(added.values()).containsOnly(1);
        }
    }

    /**
     * A later lane's request failing after its retries fails the run when its answer is taken, while the earlier
     * lanes are still reading: the watermark passes no customer missing from the graph, and the next run completes
     * the store with every customer once.
     */
    @Test
    void aLaterLanesFailedRequestFailsTheRunAndTheWatermarkPassesNothingUncommitted() throws Exception {
        Map<String, String> s = settings();
        List<JsonNode> ordered;
        Map<String, Object> broken;
        Map<String, Integer> committed;
        SyncState saved;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            ordered = inTimeOrder(first.simulator(STORE));
            AtomicInteger laterLanesRequests = new AtomicInteger();
            AdviceWith.adviceWith(first.app.context(), "sync-fetch", a -> a.weaveByToUri("direct:store-call")
                    .before().process(ex -> {
                        SyncRun.Fetch fetch = ex.getProperty(SyncRuns.FETCH, SyncRun.Fetch.class);
                        if (fetch.lane() != null && fetch.lane().number > 1 && laterLanesRequests.incrementAndGet() == 3) {
                            throw new IllegalStateException("the store did not answer (retries spent)");
                        }
                    }));
            broken = first.run(STORE, "customers");
            committed = first.accountsAdded(STORE);
            saved = first.saved(STORE, "customers");
        }
        assertThat(broken).containsEntry("outcome", "failed");
        assertThat(String.valueOf(broken.get("message"))).contains("the store did not answer");
        assertThat(committed.size()).as("stopped before the end").isLessThan(ordered.size());
        assertThat(passedUncommitted(saved, ordered, committed.keySet())).as("under the watermark, not committed").isEmpty();

        try (SyncHarness second = new SyncHarness(dir, s)) {
            assertThat(second.run(STORE, "customers")).containsEntry("outcome", "completed");
            Map<String, Integer> added = second.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(ordered.stream().map(SyncLanesTest::key).toList());
            assertThat(added.values()).containsOnly(1);
        }
    }

    /**
     * The app stops while three lanes are out, later lanes' pages committed ahead of the first lane's: the saved
     * watermark stays in the earliest unfinished lane, so the restarted run reads the later lanes' ranges again.
     * Their customers come again unchanged, which the graph counts as unchanged and publishes nothing for: after
     * the restart every customer is in the feed once.
     */
    @Test
    void theAppStoppedMidRunResumesAfterARestartWithEveryCustomerOnce() throws Exception {
        Map<String, String> s = settings();
        List<JsonNode> ordered;
        List<String> inOrder;
        Map<String, Integer> before;
        SyncState saved;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            Simulator sim = first.simulator(STORE);
            ordered = inTimeOrder(sim);
            inOrder = ordered.stream().map(SyncLanesTest::key).toList();
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
            saved = second.saved(STORE, "customers");
            assertThat(passedUncommitted(saved, ordered, before.keySet())).as("under the watermark, not committed").isEmpty();
            assertThat(second.run(STORE, "customers")).containsEntry("outcome", "completed");
            Map<String, Integer> added = second.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(inOrder);
            assertThat(added.values()).containsOnly(1);
        }
        assertThat(before.size()).as("stopped mid-run").isLessThan(inOrder.size());
        assertThat(ordered.stream().filter(c -> saved.watermark() == null || updatedAt(c).isAfter(saved.watermark()))
                .map(SyncLanesTest::key)).as("customers committed past the saved watermark, read again after the restart")
                .anyMatch(before::containsKey);
    }

    /**
     * The first lane's second page is answered only once later lanes' pages are in the graph (handed on in time
     * order, they never would be): meanwhile the saved watermark stays inside the first lane's window and passes no
     * customer missing from the graph.
     */
    @Test
    void laterLanesPagesAreCommittedWhileLaneOneIsStillReading() throws Exception {
        try (SyncHarness h = new SyncHarness(dir, settings())) {
            Simulator sim = h.simulator(STORE);
            List<JsonNode> ordered = inTimeOrder(sim);
            AtomicInteger laneOnePages = new AtomicInteger();
            AtomicReference<Instant> laneOneUntil = new AtomicReference<>();
            AtomicReference<SyncState> savedMeanwhile = new AtomicReference<>();
            AtomicReference<Set<String>> inFeedMeanwhile = new AtomicReference<>();
            AdviceWith.adviceWith(h.app.context(), "sync-fetch", a -> a.weaveByToUri("direct:store-call")
                    .before().process(ex -> {
                        SyncRun.Fetch fetch = ex.getProperty(SyncRuns.FETCH, SyncRun.Fetch.class);
                        if (fetch.lane() == null || fetch.lane().number != 1 || laneOnePages.incrementAndGet() != 2) {
                            return;
                        }
                        laneOneUntil.set(fetch.lane().until);
                        // page 1 and lane 1's first page hold at most 20 customers: any more came from later lanes
                        try {
                            Awaitility.await().atMost(Duration.ofSeconds(20))
                                    .until(() -> h.accountsAdded(STORE).size() > 20);
                        } catch (ConditionTimeoutException e) {
                            // the assertions below say what did not happen
                        }
                        // the watermark first: what it claims was committed before it was saved
                        savedMeanwhile.set(h.saved(STORE, "customers"));
                        inFeedMeanwhile.set(h.accountsAdded(STORE).keySet());
                    }));
            Map<String, Object> run = h.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed").containsEntry("lanes", 3);
            assertThat(inFeedMeanwhile.get()).as("customers in the feed while lane 1 waited for its second page")
                    .hasSizeGreaterThan(20);
            SyncState saved = savedMeanwhile.get();
            assertThat(saved.watermark()).as("the saved watermark meanwhile").isNotNull()
                    .isBeforeOrEqualTo(laneOneUntil.get());
            assertThat(passedUncommitted(saved, ordered, inFeedMeanwhile.get())).isEmpty();
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added).hasSize(ordered.size());
            assertThat(added.values()).containsOnly(1);
            assertThat(Instant.parse((String) run.get("watermark"))).as("the watermark: every customer is read up to it")
                .isAfterOrEqualTo(updatedAt(ordered.get(ordered.size() - 1)))
                .isBefore(Instant.parse((String) run.get("startedAt")));
        }
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
