package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedules ops configure actually fire, one route per store and surface, and a run can be asked for now. */
class SyncScheduleTest {
    @TempDir
    Path dir;

    @Test
    void eachStoreSurfaceRunsOnItsOwnCronAndOnRequest() throws Exception {
        try (SyncHarness sync = new SyncHarness(dir, Map.of(
                "sandbox.customers", "20",
                "stores.bigcommerce-sandbox.sync.customers.cron", "*/2 * * * * ?"))) {
            var context = sync.app.context();
            assertThat(context.getRouteController().getRouteStatus("sync-bigcommerce-sandbox-customers"))
                    .isEqualTo(ServiceStatus.Started);
            assertThat(context.getRouteController().getRouteStatus("reconcile-medusa-sandbox-customers"))
                    .isEqualTo(ServiceStatus.Started);
            assertThat(context.getRoute("reconcile-medusa-sandbox-users"))
                    .as("a staff surface deletes the vanished on each run, not daily").isNull();
            SyncStatus status = sync.app.bean("syncStatus", SyncStatus.class);
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> status.lastRun("bigcommerce-sandbox", "customers") != null);
            assertThat(status.lastRun("bigcommerce-sandbox", "customers")).containsEntry("outcome", "completed");
            assertThat(status.lastRun("medusa-sandbox", "customers")).as("its cron is far away").isNull();

            HttpResponse<String> now = sync.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sync.port
                            + "/stores/medusa-sandbox/sync/customers")).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(now.statusCode()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> status.lastRun("medusa-sandbox", "customers") != null);
            HttpResponse<String> unknown = sync.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sync.port
                            + "/stores/medusa-sandbox/sync/orders")).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("has no surface 'orders'");
        }
    }

    /**
     * Runs wait for their store's answers, not for each other: with more store surfaces than a thread pool's
     * default ten, every one starts at once. Thirteen BigCommerce stores answer each request after 10 s, so a run
     * still waiting for a thread at 8 s would be waiting behind another store's run.
     */
    @Test
    void everyStoreSurfaceStartsItsRunAtStartUpWhileOthersWaitForTheirStores() throws Exception {
        Map<String, String> settings = slowBigCommerceStores(12);
        settings.put("app.sync.run-at-start", "true");
        try (SyncHarness sync = new SyncHarness(dir, settings)) {
            assertEveryStoreAsked(sync, 12);
        }
    }

    @Test
    void everyStoreSurfaceStartsOnItsCronWhileOthersWaitForTheirStores() throws Exception {
        Map<String, String> settings = slowBigCommerceStores(12);
        for (int i = 1; i <= 12; i++) {
            settings.put("stores.bc" + i + ".sync.cron", "*/2 * * * * ?");
        }
        try (SyncHarness sync = new SyncHarness(dir, settings)) {
            assertEveryStoreAsked(sync, 12);
        }
    }

    /** The reconcile's trigger returns at once too, so the listing itself keeps a second one from starting. */
    @Test
    void aReconcileStillListingSkipsItsNextTrigger() throws Exception {
        try (SyncHarness sync = new SyncHarness(dir, Map.of(
                "sandbox.customers", "20",
                "sandbox.bigcommerce.latency-ms", "3000",
                "stores.bigcommerce-sandbox.sync.reconcile-cron", "* * * * * ?"))) {
            var counters = sync.simulator("bigcommerce-sandbox").counters();
            java.util.concurrent.atomic.AtomicInteger triggers = new java.util.concurrent.atomic.AtomicInteger();
            var notifier = new org.apache.camel.support.EventNotifierSupport() {
                @Override
                public void notify(org.apache.camel.spi.CamelEvent event) {
                    if (event instanceof org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent done
                            && "reconcile-bigcommerce-sandbox-customers".equals(done.getExchange().getFromRouteId())) {
                        triggers.incrementAndGet();
                    }
                }
            };
            notifier.start();
            sync.app.context().getManagementStrategy().addEventNotifier(notifier);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> counters.maxInFlight() > 0);
            // the cron fires every second while the first listing waits 3 s for its page
            int before = triggers.get();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> triggers.get() >= before + 2);
            assertThat(counters.maxInFlight()).as("listings of the store at once").isEqualTo(1);
        }
    }

    /** {@code n} sandbox BigCommerce stores besides the default ones; every BigCommerce answer takes 10 s. */
    private static Map<String, String> slowBigCommerceStores(int n) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("sandbox.customers", "20");
        settings.put("sandbox.bigcommerce.latency-ms", "10000");
        for (int i = 1; i <= n; i++) {
            settings.put("stores.bc" + i + ".platform", "bigcommerce");
            settings.put("stores.bc" + i + ".base-url", "http://127.0.0.1:0/stores/abc123");
            settings.put("stores.bc" + i + ".sandbox", "true");
            settings.put("stores.bc" + i + ".sync.cron", "0 0 0 1 1 ? 2099");
        }
        return settings;
    }

    private static void assertEveryStoreAsked(SyncHarness sync, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            java.util.List<String> waiting = new java.util.ArrayList<>();
            for (int i = 1; i <= n; i++) {
                if (sync.simulator("bc" + i).counters().maxInFlight() == 0) {
                    waiting.add("bc" + i);
                }
            }
            assertThat(waiting).as("stores whose run has not sent its first request").isEmpty();
        });
    }
}
