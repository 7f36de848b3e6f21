package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved watermark vouches that every record before it is in the graph, so a page is saved only after every page
 * handed on before it has committed, even a page with nothing of its own to commit.
 */
class SyncWatermarkOrderTest {
    private static final String STORE = "bigcommerce-sandbox";

    @TempDir
    Path dir;

    /**
     * BigCommerce pages a snapshot, then reads by keyset what changed after the snapshot's bound: here only the
     * snapshot's last customer again, so that page has nothing to commit. The graph writer holds the snapshot's
     * first page until that keyset page has been handed on; a kill then must find no watermark past what is in the
     * graph (SyncCrashIT, CI run 65, found the watermark at the store's last customer and 999 customers lost).
     */
    @Test
    void aPageWithNothingToCommitSavesNoWatermarkWhileEarlierPagesAreStillWithTheGraphWriter() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "10");
        s.put("sandbox.bigcommerce.customers", "200");
        s.put("stores." + STORE + ".sync.customers.page-size", "50");
        try (SyncHarness h = new SyncHarness(dir, s)) {
            CountDownLatch nothingToCommitHandedOn = new CountDownLatch(1);
            AtomicInteger batches = new AtomicInteger();
            AtomicBoolean heldUntilThen = new AtomicBoolean();
            AtomicReference<SyncState> savedMeanwhile = new AtomicReference<>();
            AdviceWith.adviceWith(h.app.context(), "resolve-and-publish", a -> a.weaveAddFirst().process(ex -> {
                if (batches.incrementAndGet() == 1) {
                    heldUntilThen.set(nothingToCommitHandedOn.await(20, TimeUnit.SECONDS));
                }
            }));
            AdviceWith.adviceWith(h.app.context(), "sync-commit-page", a -> a.weaveAddLast().process(ex -> {
                SyncRun.PageInFlight page = ex.getProperty(SyncRuns.PAGE, SyncRun.PageInFlight.class);
                if (page != null && page.fresh() == 0 && nothingToCommitHandedOn.getCount() > 0) {
                    savedMeanwhile.set(h.saved(STORE, "customers"));
                    nothingToCommitHandedOn.countDown();
                }
            }));

            Map<String, Object> run = h.run(STORE, "customers");

            assertThat(heldUntilThen).as("the graph writer held the first page until the page with nothing to"
                    + " commit was handed on").isTrue();
            assertThat(savedMeanwhile.get()).as("saved while no page was in the graph").isNotNull();
            assertThat(savedMeanwhile.get().watermark()).as("the watermark saved while no page was in the graph")
                    .isNull();
            assertThat(run).containsEntry("outcome", "completed");
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added).as("every customer once").hasSize(200);
            assertThat(added.values()).containsOnly(1);
            assertThat(h.saved(STORE, "customers").watermark()).as("after the run").isNotNull();
        }
    }
}
