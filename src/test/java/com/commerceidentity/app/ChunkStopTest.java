package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.commerceidentity.sync.SyncStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunk-level stop in routes/ingest.yaml: every input it cuts short still ends, with a reason. */
class ChunkStopTest {

    @Test
    void aStopInTheChunkStepsEndsTheFileAndTheSyncRun(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes");
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path p : files.toList()) {
                Path target = routes.resolve(Path.of("routes").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        String ingest = Files.readString(routes.resolve("ingest.yaml"));
        String stop = """
                              - toD:
                                  uri: "direct:map-${header.platform}"
                              - filter:
                                  simple: "${header.platform} != 'magento'"
                                  steps:
                                    - stop: {}
                """;
        ingest = ingest.replace("""
                              - toD:
                                  uri: "direct:map-${header.platform}"
                """, stop);
        assertThat(ingest).contains("stop: {}");
        Files.writeString(routes.resolve("ingest.yaml"), ingest);
        try (AppHarness app = new AppHarness(dir, Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml,file:" + routes + "/*.xml,file:"
                        + routes + "/platforms/*.yaml",
                "sandbox.enabled", "true",
                "sandbox.customers", "20",
                "app.sync.enabled", "true",
                "app.sync.run-at-start", "false",
                // only the run the test starts: a scheduled one at the next five-minute mark would be the last run
                "app.sync.cron", "0 0 0 1 1 ? 2099",
                "app.sync.staff-cron", "0 0 0 1 1 ? 2099"))) {
            Path file = app.inbox().resolve("shopify/eu/stopped.ndjson");
            Files.createDirectories(file.getParent());
            Path staged = Files.writeString(file.resolveSibling(".staged"),
                    "{\"id\":1,\"email\":\"a@shop.test\",\"state\":\"enabled\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n");
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
            Path done = app.inbox().resolve(".done/shopify/eu/stopped.ndjson");
            Path failed = app.inbox().resolve(".error/shopify/eu/stopped.ndjson.error.txt");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(done) || Files.exists(failed));
            assertThat(Files.exists(done)).as("the file completes").isTrue();
            assertThat(Files.exists(file.resolveSibling("stopped.ndjson.camelLock"))).isFalse();
            assertThat(Files.readString(app.inbox().resolve(".error/shopify/eu/stopped.ndjson.rejects.ndjson")))
                    .contains("1 records in chunks that a route step stopped");

            HttpResponse<String> started = app.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + app.port + "/stores/bigcommerce-sandbox/sync/customers"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).isEqualTo(202);
            SyncStatus status = app.app.bean("syncStatus", SyncStatus.class);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status.lastRun("bigcommerce-sandbox", "customers") != null);
            Map<String, Object> run = status.lastRun("bigcommerce-sandbox", "customers");
            assertThat(run.get("outcome")).as(run.toString()).isEqualTo("completed");
            assertThat(String.valueOf(run.get("rejected"))).as(run.toString()).isEqualTo("20");
        }
    }
}
