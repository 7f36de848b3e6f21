package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages of a snapshot fetched several at once (Medusa pages by offset) still reach the graph in page order: a
 * commit that fails leaves the watermark at the last page before it, whatever was fetched beside it, and the
 * next run completes without loss or a record counted twice.
 */
class SyncConcurrentFetchTest {
    private static final String STORE = "medusa-sandbox";

    @TempDir
    Path dir;

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "120");
        s.put("stores.medusa-sandbox.sync.customers.page-size", "10");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "200");
        s.put("stores.medusa-sandbox.budget.concurrency", "8");
        s.put("stores.medusa-sandbox.sync.max-in-flight", "3");
        // answers slow enough that the pages of a batch are held by the store together
        s.put("sandbox.medusa.latency-ms", "60");
        return s;
    }

    @Test
    void pagesFetchedSideBySideCommitInOrderAndACrashResumesWithoutLossOrDuplicates() throws Exception {
        Map<String, String> s = settings();
        List<JsonNode> ordered;
        Map<String, Object> broken;
        Map<String, Integer> committed;
        try (SyncHarness first = new SyncHarness(dir, s)) {
            Simulator sim = first.simulator(STORE);
            ordered = first.simulator(STORE).records().list(RecordControl.CUSTOMER).stream()
                    .filter(c -> c.get("deleted_at").isNull())
                    .sorted(Comparator.comparing((JsonNode c) -> c.get("updated_at").asText())
                            .thenComparing(c -> c.get("id").asText()))
                    .toList();
            AtomicInteger pages = new AtomicInteger();
            AdviceWith.adviceWith(first.app.context(), "sync-commit-page", a -> a.weaveByToUri("direct:map-records")
                    .before().process(ex -> {
                        if (pages.incrementAndGet() == 6) {
                            throw new IllegalStateException("graph store unavailable");
                        }
                    }));
            broken = first.run(STORE, "customers");
            assertThat(sim.counters().maxInFlight()).as("requests the store held at once").isBetween(2, 3);
            committed = first.accountsAdded(STORE);
        }
        assertThat(broken).containsEntry("outcome", "failed");
        // The watermark is that of a whole page before the failing sixth, in the store's order; the graph holds
        // that prefix, and at most the pages already handed to it before the failure (committed again next run).
        // The run counts a page once its commit is acknowledged; when the failure ends the run before the
        // acknowledgements of pages 1-5 are read, it counts none and keeps no watermark (those pages are read again).
        int n = ((Long) broken.get("records")).intValue();
        assertThat(n).isBetween(0, 50);
        assertThat(n % 10).isZero();
        List<String> inOrder = ordered.stream().map(c -> "medusa:" + STORE + ":customer:" + c.get("id").asText()).toList();
        if (n > 0) {
            assertThat(broken).containsEntry("watermark",
                    Instant.parse(ordered.get(n - 1).get("updated_at").asText()).toString());
            assertThat(committed.keySet()).containsAll(inOrder.subList(0, n));
        }
        assertThat(inOrder.subList(0, 50)).containsAll(committed.keySet());

        try (SyncHarness second = new SyncHarness(dir, s)) {
            assertThat(second.run(STORE, "customers")).containsEntry("outcome", "completed");
            Map<String, Integer> added = second.accountsAdded(STORE);
            assertThat(added).hasSize(ordered.size());
            assertThat(added.values()).containsOnly(1);
        }
    }

    @Test
    void aSlowAnswerHoldsOneSlotWhileTheNextPagesGoOutAndTheRecordsStillCommitInPageOrder() throws Exception {
        Map<String, String> s = settings();
        Pattern page2 = Pattern.compile("(^|&)offset=10(&|$)");
        Pattern page5 = Pattern.compile("(^|&)offset=40(&|$)");
        CountDownLatch page5Asked = new CountDownLatch(1);
        AtomicBoolean page5AskedWhilePage2Out = new AtomicBoolean();
        try (SyncHarness h = new SyncHarness(dir, s)) {
            List<String> inOrder = h.simulator(STORE).records().list(RecordControl.CUSTOMER).stream()
                    .filter(c -> c.get("deleted_at").isNull())
                    .sorted(Comparator.comparing((JsonNode c) -> c.get("updated_at").asText())
                            .thenComparing(c -> c.get("id").asText()))
                    .map(c -> "medusa:" + STORE + ":customer:" + c.get("id").asText())
                    .toList();
            // Page 2's answer is held (one slot busy) until page 5 is asked for, or for 10 s at most: with batches
            // of three, page 5 would only go out once page 2 is back.
            AdviceWith.adviceWith(h.app.context(), "store-call", a -> a.weaveAddFirst().process(ex -> {
                String query = ex.getMessage().getHeader(Exchange.HTTP_QUERY, "", String.class);
                if (page5.matcher(query).find()) {
                    page5Asked.countDown();
                } else if (page2.matcher(query).find()) {
                    page5AskedWhilePage2Out.set(page5Asked.await(10, TimeUnit.SECONDS));
                }
            }));
            Map<String, Object> run = h.run(STORE, "customers");
            assertThat(run).containsEntry("outcome", "completed");
            assertThat(page5AskedWhilePage2Out).as("page 5 asked for while page 2's answer was still out").isTrue();
            assertThat(h.simulator(STORE).counters().maxInFlight()).as("requests the store held at once")
                    .isLessThanOrEqualTo(3);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(inOrder);
            assertThat(added.values()).containsOnly(1);
            assertThat(run).containsEntry("watermark", Instant.parse(h.simulator(STORE).records()
                    .list(RecordControl.CUSTOMER).stream().filter(c -> c.get("deleted_at").isNull())
                    .map(c -> c.get("updated_at").asText()).max(Comparator.naturalOrder()).orElseThrow()).toString());
        }
    }
}
