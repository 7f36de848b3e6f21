package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching runs ahead of a slow ingest, so a budget that refills per window is spent at the store's pace
 * rather than at ours, but never further ahead than app.sync.read-ahead-bytes of pages.
 */
class SyncReadAheadTest {
    private static final String STORE = "medusa-sandbox";

    @TempDir
    Path dir;

    private Map<String, String> settings(String readAheadBytes) {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "120");
        s.put("stores." + STORE + ".sync.customers.page-size", "10");
        s.put("stores." + STORE + ".budget.requests-per-second", "200");
        s.put("app.sync.read-ahead-bytes", readAheadBytes);
        return s;
    }

    /** Requests the store had answered when each page's ingest began (that ingest then takes 100 ms). */
    private static List<Long> fetchedAtEachIngest(SyncHarness sync) throws Exception {
        var sim = sync.simulator(STORE);
        List<Long> fetched = new CopyOnWriteArrayList<>();
        AdviceWith.adviceWith(sync.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                .before().process(ex -> {
                    fetched.add(sim.counters().total());
                    Thread.sleep(100);
                }));
        return fetched;
    }

    private static void assertEveryAccountOnce(SyncHarness sync, Map<String, Object> run) throws Exception {
        assertThat(sync.accountsAdded(STORE).values()).hasSize(((Long) run.get("records")).intValue()).containsOnly(1);
    }

    @Test
    void withRoomTheWholeSurfaceIsFetchedWhileTheFirstPagesAreStillBeingIngested() throws Exception {
        try (SyncHarness sync = new SyncHarness(dir, settings("16777216"))) {
            List<Long> fetched = fetchedAtEachIngest(sync);
            Map<String, Object> run = sync.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed");
            long pages = (Long) run.get("pages");
            assertThat(pages).isGreaterThan(8);
            assertThat(fetched).hasSize((int) pages);
            // 100 ms per page of ingest against a few ms per request: every page is in before half are ingested
            int half = (int) pages / 2;
            assertThat(fetched.get(half)).as("requests answered when page %d's ingest began", half + 1).isEqualTo(pages);
            assertEveryAccountOnce(sync, run);
        }
    }

    @Test
    void aFullReadAheadHoldsFetchingBackToOnePageBeyondTheOneBeingIngested() throws Exception {
        // smaller than any page: a page is let through only when nothing else is held
        try (SyncHarness sync = new SyncHarness(dir, settings("1"))) {
            List<Long> fetched = fetchedAtEachIngest(sync);
            Map<String, Object> run = sync.run(STORE, "customers");

            assertThat(run).containsEntry("outcome", "completed");
            assertThat(fetched).hasSize(((Long) run.get("pages")).intValue());
            for (int page = 1; page <= fetched.size(); page++) {
                // page n being ingested, page n+1 fetched and waiting for room, nothing beyond
                assertThat(fetched.get(page - 1)).as("requests answered when page %d's ingest began", page)
                        .isLessThanOrEqualTo(page + 1);
            }
            assertEveryAccountOnce(sync, run);
        }
    }

    @Test
    void stoppingTheAppWithPagesQueuedLosesNothingAndTheNextStartResumes() throws Exception {
        Map<String, String> s = settings("16777216");
        int pagesBeforeStop = 3;
        long total;
        Map<String, Object> stopped;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            total = first.simulator(STORE).records().list(com.commerceidentity.sandbox.RecordControl.CUSTOMER).stream()
                    .filter(c -> c.get("deleted_at").isNull()).count();
            var committed = new java.util.concurrent.atomic.AtomicInteger();
            var stopAsked = new java.util.concurrent.CountDownLatch(1);
            AdviceWith.adviceWith(first.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                    .before().process(ex -> {
                        if (committed.incrementAndGet() > pagesBeforeStop) {
                            stopAsked.countDown();
                        }
                        Thread.sleep(100);
                    }));
            SyncStatus status = first.app.bean("syncStatus", SyncStatus.class);
            var run = first.app.context().createProducerTemplate().asyncRequestBodyAndHeaders("direct:sync-run", null,
                    Map.of(com.commerceidentity.store.StoreCalls.STORE_ID, STORE, SyncRuns.SURFACE, "customers"));
            assertThat(stopAsked.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long stopping = System.nanoTime();
            first.app.close();
            assertThat((System.nanoTime() - stopping) / 1e9).as("seconds to stop with pages queued").isLessThan(25);
            assertThat(run).isDone();
            stopped = status.lastRun(STORE, "customers");
        }
        long before = (Long) stopped.get("records");
        // the pages committed before the stop was asked, less the records each keyset page repeats at its start
        assertThat(before).as("records committed before the stop").isBetween(7L * pagesBeforeStop, total - 1);

        try (SyncHarness second = new SyncHarness(dir, s)) {
            Map<String, Object> resumed = second.run(STORE, "customers");
            assertThat(resumed).containsEntry("outcome", "completed");
            assertThat((Long) resumed.get("records")).as("resumed from the watermark, not started over")
                    .isLessThanOrEqualTo(total - before + 10);
            Map<String, Integer> all = second.accountsAdded(STORE);
            assertThat(all).hasSize((int) total);
            assertThat(all.values()).as("every account once, across the stop").containsOnly(1);
        }
    }
}
