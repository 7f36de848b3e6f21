package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.sync.SyncRuns;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ops scrape and probe on the management port: health, store budgets and route timings. */
class ObservabilityTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double sample(String metrics, String name, String... labels) {
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                Matcher m = Pattern.compile("} ([0-9.E+-]+)$").matcher(line);
                if (m.find()) {
                    return Double.parseDouble(m.group(1));
                }
            }
        }
        throw new AssertionError("no " + name + " with " + String.join(", ", labels) + " in:\n" + metrics);
    }

    /** The sandbox stores on free ports, sync triggered only by the test (no run at start, no cron run meanwhile). */
    private Map<String, String> sandboxApp(int management, int customers) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("camel.server.port", Integer.toString(AppHarness.freePort()));
        s.put("camel.management.port", Integer.toString(management));
        s.put("sandbox.enabled", "true");
        s.put("sandbox.customers", Integer.toString(customers));
        s.put("app.sync.run-at-start", "false");
        s.put("app.sync.cron", "0 0 0 1 1 ? 2099");
        s.put("app.sync.staff-cron", "0 0 0 1 1 ? 2099");
        s.putAll(SandboxStores.onFreePorts());
        return s;
    }

    @Test
    void aSyncRunShowsUpInTheStoreBudgetAndRouteMetrics() throws Exception {
        int management = AppHarness.freePort();
        Map<String, String> s = sandboxApp(management, 30);
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            // DOWN until the inbox's file consumer has polled once (app.inbox.poll-delay-ms), then UP
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> get(management, "/observe/health").contains("\"status\":\"UP\""));
            Exchange run = app.context().createProducerTemplate().request("direct:sync-run", ex -> {
                ex.getMessage().setHeader(StoreCalls.STORE_ID, "bigcommerce-sandbox");
                ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
            });
            assertThat(run.getException()).isNull();

            String metrics = get(management, "/observe/metrics");
            String store = "store=\"bigcommerce-sandbox\"";
            assertThat(sample(metrics, "store_requests_total", store)).as("requests the run made").isGreaterThanOrEqualTo(1);
            assertThat(sample(metrics, "store_rate_limited_total", store)).isZero();
            // BigCommerce's 150 per window, less what the run used (the slots come back a window later)
            assertThat(sample(metrics, "store_budget_available", store, "policy=\"rolling-window\""))
                    .isLessThan(150).isGreaterThanOrEqualTo(140);
            assertThat(sample(metrics, "camel_route_policy_seconds_count", "routeId=\"sync-run\"")).isEqualTo(1);
            assertThat(metrics).as("no per-exchange event timers (they cost ~4% of a webhook's CPU)")
                    .doesNotContain("camel_exchange_event_notifier");
        }
    }

    @Test
    void everyStoreAndSurfaceHasItsMetersFromStartUpBeforeAnythingHappened() throws Exception {
        int management = AppHarness.freePort();
        Map<String, String> s = sandboxApp(management, 10);
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            String metrics = get(management, "/observe/metrics");
            for (String id : new String[] {"shopify-sandbox", "bigcommerce-sandbox", "magento-sandbox",
                    "medusa-sandbox", "woocommerce-sandbox"}) {
                String store = "store=\"" + id + "\"";
                assertThat(sample(metrics, "store_requests_total", store)).isZero();
                assertThat(sample(metrics, "store_rate_limited_total", store)).isZero();
                assertThat(sample(metrics, "store_auth_failures_total", store)).isZero();
                assertThat(sample(metrics, "store_errors_total", store)).isZero();
                assertThat(sample(metrics, "records_rejected_total", store)).isZero();
                assertThat(sample(metrics, "sync_records_total", store, "surface=\"customers\"")).isZero();
                assertThat(sample(metrics, "sync_rate_limited_total", store, "surface=\"customers\"")).isZero();
                assertThat(sample(metrics, "sync_runs_failed_total", store, "surface=\"customers\"")).isZero();
                assertThat(sample(metrics, "sync_running", store, "surface=\"customers\"")).isZero();
                assertThat(metrics.lines().filter(l -> l.startsWith("sync_last_success_timestamp_seconds{")
                        && l.contains(store) && l.contains("surface=\"customers\"")))
                        .as("no completed run yet: not a time, and not 1970").singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .endsWith(" NaN");
            }
            assertThat(sample(metrics, "store_budget_available", "store=\"woocommerce-sandbox\"",
                    "policy=\"polite-cap\"")).as("an idle polite-cap budget has its burst free, not 0").isPositive();
            assertThat(sample(metrics, "webhook_inbox_events", "status=\"pending\"")).isZero();
            assertThat(sample(metrics, "webhook_inbox_events", "status=\"dead\"")).isZero();
            assertThat(sample(metrics, "webhook_inbox_events", "status=\"refused\"")).as("refused deletions counted from the start").isZero();
            assertThat(metrics).contains("feed_head_seq ").contains("webhook_inbox_oldest_pending_age_seconds 0.0");

            app.context().createProducerTemplate().request("direct:sync-run", ex -> {
                ex.getMessage().setHeader(StoreCalls.STORE_ID, "magento-sandbox");
                ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
            });
            String after = get(management, "/observe/metrics");
            String magento = "store=\"magento-sandbox\"";
            assertThat(sample(after, "sync_records_total", magento, "surface=\"customers\"")).isGreaterThanOrEqualTo(10);
            assertThat(sample(after, "sync_last_success_timestamp_seconds", magento, "surface=\"customers\""))
                    .isGreaterThan(1.7e9);
            assertThat(sample(after, "sync_lag_seconds", magento, "surface=\"customers\"")).isBetween(0.0, 600.0);
            double head = Double.parseDouble(after.lines().filter(l -> l.startsWith("feed_head_seq "))
                    .findFirst().orElseThrow().substring("feed_head_seq ".length()));
            assertThat(head).as("the run's events are in the feed").isGreaterThan(0);
        }
    }
}
