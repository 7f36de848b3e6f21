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
}
