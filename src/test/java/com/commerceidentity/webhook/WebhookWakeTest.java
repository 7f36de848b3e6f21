package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When {@code webhook-process} takes its next batch: soon after full payloads, later for thin events. */
class WebhookWakeTest {
    static final long POLL_MS = 20_000;

    private static WebhookWake wake(long lingerMs, long pollMs, int batch) {
        return new WebhookWake(lingerMs, pollMs, batch, Set.of("bigcommerce", "medusa"));
    }

    private static WebhookGroupCommit.Committed stored(String... platforms) {
        return new WebhookGroupCommit.Committed(platforms.length, Set.of(platforms));
    }

    /** Runs {@code await} on another thread and says how long it took, in ms. */
    private static CompletableFuture<Long> awaiting(WebhookWake w) {
        return CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
                w.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return (System.nanoTime() - t0) / 1_000_000;
        });
    }

    @Test
    void aStoredFullPayloadStartsABatchLongBeforeTheNextPoll() throws Exception {
        WebhookWake w = wake(0, POLL_MS, 100);
        w.await(); // the first batch runs at once: events stored before a restart
        CompletableFuture<Long> next = awaiting(w);
        Thread.sleep(100);
        assertThat(next).as("nothing stored yet: still waiting for the poll").isNotDone();
        w.committed(stored("shopify", "bigcommerce"));
        assertThat(next.get(POLL_MS / 2, TimeUnit.MILLISECONDS)).isLessThan(POLL_MS / 2);
    }

    @Test
    void aPlatformTheWakeDoesNotCallThinGoesAfterTheLingerNotThePoll() throws Exception {
        WebhookWake w = new WebhookWake(0, POLL_MS, 100, platform -> platform.equals("bigcommerce"));
        w.await();
        CompletableFuture<Long> next = awaiting(w);
        w.committed(stored("woocommerce"));
        assertThat(next.get(POLL_MS / 2, TimeUnit.MILLISECONDS)).isLessThan(POLL_MS / 2);
    }

    @Test
    void thinEventsAloneWaitForThePollSoTheirIdsShareOneFetch() throws Exception {
        WebhookWake w = wake(0, 400, 100);
        w.await();
        w.committed(stored("bigcommerce"));
        long t0 = System.nanoTime();
        w.await();
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aFullBatchIsFollowedAtOnceAndASmallerOneWaits() throws Exception {
        WebhookWake w = wake(0, POLL_MS, 3);
        w.await();
        List<Long> seqs = new ArrayList<>(List.of(1L, 2L));
        WebhookEvents.Work two = new WebhookEvents.Work("records", null, null, seqs, List.of(), Set.of(), "t");
        w.planned(List.of(two));
        CompletableFuture<Long> afterSmall = awaiting(w);
        Thread.sleep(100);
        assertThat(afterSmall).as("two of three: the inbox is drained").isNotDone();
        w.committed(stored("shopify"));
        afterSmall.get(POLL_MS / 2, TimeUnit.MILLISECONDS);

        WebhookEvents.Work one = new WebhookEvents.Work("records", null, null, List.of(3L), List.of(), Set.of(), "t");
        w.planned(List.of(two, one));
        assertThat(awaiting(w).get(POLL_MS / 2, TimeUnit.MILLISECONDS)).as("three of three: more are waiting")
                .isLessThan(POLL_MS / 2);
    }
}
