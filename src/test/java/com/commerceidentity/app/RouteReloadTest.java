package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.commerceidentity.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live reload as the README offers it: an edited route file swaps its own routes; the rest keeps running. */
class RouteReloadTest {
    private static final String STORE_TRIGGER = "sync-shopify-sandbox-customers";

    @Test
    void anEditSwapsThatFilesRoutesAndABrokenFileKeepsTheOldOnes(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes");
        TestFiles.copyTree(Path.of("routes"), routes);
        try (AppHarness app = new AppHarness(dir, Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml,file:" + routes + "/*.xml,file:"
                        + routes + "/platforms/*.yaml",
                "camel.main.routes-reload-enabled", "true",
                "camel.main.routes-reload-directory", routes.toString(),
                "sandbox.enabled", "true",
                "sandbox.customers", "20",
                "app.sync.enabled", "true",
                "app.sync.run-at-start", "false"))) {
            CamelContext context = app.app.context();
            RouteFileReload reload = context.hasService(RouteFileReload.class);
            assertThat(reload).as("Camel's remove-everything reload is replaced").isNotNull();
            Set<String> before = startedRoutes(context);
            assertThat(before).contains("sync-run", "map-records", STORE_TRIGGER);
            answersEverything(app, "before");

            // a valid edit of the shared pipeline, while a file is being ingested through it
            StringBuilder big = new StringBuilder();
            for (int i = 1; i <= 20_000; i++) {
                big.append("{\"id\":").append(900_000 + i).append(",\"email\":\"inflight-").append(i)
                        .append("@shop.test\",\"state\":\"enabled\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n");
            }
            Path inflight = app.inbox().resolve("shopify/eu/inflight.ndjson");
            Files.createDirectories(inflight.getParent());
            Files.move(Files.writeString(inflight.resolveSibling(".inflight"), big), inflight,
                    StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(inflight.resolveSibling("inflight.ndjson.camelLock")));
            edit(reload, routes.resolve("ingest.yaml"), "Map each record,", "Map every record,");
            Path inflightDone = app.inbox().resolve(".done/shopify/eu/inflight.ndjson");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(inflightDone));
            assertThat(app.inbox().resolve(".error/shopify/eu/inflight.ndjson.error.txt")).doesNotExist();
            assertThat(app.inbox().resolve(".error/shopify/eu/inflight.ndjson.rejects.ndjson")).doesNotExist();
            assertThat(app.getJson("/identities?email=inflight-20000@shop.test").get("identities")).hasSize(1);
            assertThat(context.getRoute("ingest-records").getDescription()).startsWith("Map every record,");
            assertThat(startedRoutes(context)).isEqualTo(before);
            answersEverything(app, "after ingest.yaml was edited");

            // a platform file: its template changes, and the per-store trigger made from it is made again
            edit(reload, routes.resolve("platforms/shopify.yaml"), "Quartz trigger for one Shopify store's surface",
                    "Cron trigger of one Shopify store's surface");
            assertThat(context.getRoute(STORE_TRIGGER).getDescription()).startsWith("Cron trigger");
            assertThat(startedRoutes(context)).isEqualTo(before);
            answersEverything(app, "after platforms/shopify.yaml was edited");

            // a file with rest: blocks is swapped without doubling its endpoints
            edit(reload, routes.resolve("sync.yaml"), "each surface's schedule, current run", "each surface's schedule, the run going");
            assertThat(startedRoutes(context)).isEqualTo(before);
            assertThat(app.get("/stores/shopify-sandbox/status").statusCode()).isEqualTo(200);
            answersEverything(app, "after sync.yaml was edited");

            // the per-record rules: a rule added while running applies to the next input
            edit(reload, routes.resolve("record-rules.yaml"), "        - log:\n",
                    "        - filter:\n"
                    + "            simple: \"${header.email} startsWith 'reload-'\"\n"
                    + "            steps:\n"
                    + "              - setHeader:\n"
                    + "                  name: dropReason\n"
                    + "                  constant: \"dropped by a reloaded rule\"\n"
                    + "              - stop: {}\n"
                    + "        - log:\n");
            var dropped = app.post("/drop/shopify/eu", AppHarness.TOKEN, ("{\"id\":77,\"email\":\"reload-77@shop.test\","
                    + "\"state\":\"enabled\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n").getBytes(StandardCharsets.UTF_8));
            assertThat(dropped.body()).contains("\"rejected\":1", "dropped by a reloaded rule");
            edit(reload, routes.resolve("record-rules.yaml"), "startsWith 'reload-'", "startsWith 'nobody-'");

            // an unknown step: nothing changes, and the reason names the file and where
            long seen = reload.reloads();
            String broken = Files.readString(routes.resolve("ingest.yaml"))
                    .replace("        - to: direct:map-records", "        - tooo: direct:map-records");
            replace(routes.resolve("ingest.yaml"), broken);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> reload.reloads() > seen);
            assertThat(reload.lastOutcome()).contains("ingest.yaml", "not reloaded", "tooo", "line 17, column");
            assertThat(startedRoutes(context)).isEqualTo(before);
            assertThat(context.getRoute("ingest-records").getDescription()).startsWith("Map every record,");
            answersEverything(app, "after a broken ingest.yaml");

            // a file that parses but whose routes cannot start: the previous ones are put back
            long tried = reload.reloads();
            String unstartable = Files.readString(routes.resolve("ingest.yaml"))
                    .replace("        - tooo: direct:map-records", "        - to: nosuchcomponent:map-records");
            replace(routes.resolve("ingest.yaml"), unstartable);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> reload.reloads() > tried);
            assertThat(reload.lastOutcome()).contains("ingest.yaml", "not reloaded", "nosuchcomponent");
            assertThat(startedRoutes(context)).isEqualTo(before);
            assertThat(context.getRoute("ingest-records").getDescription()).startsWith("Map every record,");
            answersEverything(app, "after an unstartable ingest.yaml");
        }
    }

    private static void edit(RouteFileReload reload, Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        long seen = reload.reloads();
        replace(file, text.replace(from, to));
        String name = file.getFileName().toString();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> reload.reloads() > seen && reload.lastOutcome().contains(name + " reloaded"));
    }

    /** As editors save: the whole new text at once, so the watcher never reads half a file. */
    private static void replace(Path file, String text) throws IOException {
        Path staged = Files.writeString(file.resolveSibling("." + file.getFileName() + ".swp"), text,
                StandardCharsets.UTF_8);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Set<String> startedRoutes(CamelContext context) {
        return context.getRoutes().stream().map(Route::getRouteId)
                .filter(id -> context.getRouteController().getRouteStatus(id).isStarted())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void answersEverything(AppHarness app, String when) throws Exception {
        assertThat(app.get("/feed?after=0&limit=1").statusCode()).as("/feed " + when).isEqualTo(200);
        assertThat(app.get("/stores").statusCode()).as("/stores " + when).isEqualTo(200);
        String record = "{\"id\":" + System.nanoTime() + ",\"email\":\"reload-" + System.nanoTime()
                + "@shop.test\",\"first_name\":\"Re\",\"last_name\":\"Load\",\"state\":\"enabled\","
                + "\"created_at\":\"2024-01-01T10:00:00Z\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n";
        var drop = app.post("/drop/shopify/eu", AppHarness.TOKEN, record.getBytes(StandardCharsets.UTF_8));
        assertThat(drop.statusCode()).as("drop " + when + ": " + drop.body()).isEqualTo(200);
        assertThat(drop.body()).contains("\"accepted\":1");
        Path file = app.inbox().resolve("shopify/eu/" + when.replaceAll("[^a-z]", "-") + ".ndjson");
        Files.createDirectories(file.getParent());
        Path staged = Files.writeString(file.resolveSibling(".staged"), record);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
        Path done = app.inbox().resolve(".done/shopify/eu/" + file.getFileName());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .alias("the inbox is read " + when).until(() -> Files.exists(done));
    }
}
