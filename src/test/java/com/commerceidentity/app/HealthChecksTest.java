package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.sandbox.Simulator;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a supervisor probes: readiness goes DOWN, naming why, when the service cannot do its work; one store's
 * trouble shows as that store's check and leaves the service ready.
 */
class HealthChecksTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> settings(int management) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("app.inbox.poll-delay-ms", "100");
        s.put("camel.server.port", Integer.toString(AppHarness.freePort()));
        s.put("camel.management.port", Integer.toString(management));
        s.put("app.sync.run-at-start", "false");
        // no cron run in the middle of the test (the default fires every 5 minutes)
        s.put("app.sync.cron", "0 0 0 1 1 ? 2099");
        s.put("app.sync.staff-cron", "0 0 0 1 1 ? 2099");
        return s;
    }

    @Test
    void readinessIsDownNamingARequiredRouteThatIsNotRunning() throws Exception {
        int management = AppHarness.freePort();
        Map<String, String> s = settings(management);
        s.put("sandbox.enabled", "false");
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> get(management, "/observe/health/ready").statusCode() == 200);

            // what a reload that fails half-way leaves behind: the route is gone, so Camel's own route checks,
            // which look at the routes that exist, see nothing wrong
            app.context().getRouteController().stopRoute("feed-api");
            app.context().removeRoute("feed-api");
            HttpResponse<String> ready = get(management, "/observe/health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).contains("required routes not running: feed-api (missing)");
            assertThat(get(management, "/observe/health/live").statusCode())
                    .as("a missing route is no reason to restart the process").isEqualTo(200);
        }
    }

    @Test
    void aStoreRefusingOurCredentialsIsDownOnItsOwnWhileTheServiceStaysReady() throws Exception {
        int management = AppHarness.freePort();
        Map<String, String> s = settings(management);
        s.put("sandbox.enabled", "true");
        s.put("sandbox.customers", "10");
        s.putAll(SandboxStores.onFreePorts());
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> get(management, "/observe/health/ready").statusCode() == 200);
            assertThat(get(management, "/observe/health?exposureLevel=full").body())
                    .as("before any call the store is not reported down").doesNotContain("\"DOWN\"");

            Simulator store = app.bean("sandboxStores", SandboxStores.class).simulator("bigcommerce-sandbox");
            store.faults().add(FaultType.SERVER_ERROR, "GET", "*/v3/customers", -1, 0, 401);
            syncCustomers(app);

            String all = get(management, "/observe/health?exposureLevel=full").body();
            assertThat(all).contains("store:bigcommerce-sandbox").contains("refuses our credentials")
                    .contains("customers: last run failed");
            assertThat(all).as("the other stores are fine").doesNotContain("store:shopify-sandbox\",\"status\":\"DOWN");
            HttpResponse<String> ready = get(management, "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(get(management, "/observe/health/live").statusCode()).isEqualTo(200);

            store.faults().clear();
            syncCustomers(app);
            assertThat(get(management, "/observe/health?exposureLevel=full").body())
                    .as("the store accepts our credentials again and its run completed").doesNotContain("\"DOWN\"");
        }
    }

    private static void syncCustomers(EmbeddedApp app) {
        app.context().createProducerTemplate().request("direct:sync-run", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, "bigcommerce-sandbox");
            ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
        });
    }
}
