package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.commerceidentity.TestFiles;
import com.commerceidentity.drop.RecordRules;
import com.commerceidentity.sync.SyncStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/record-rules.yaml sees one canonical account at a time: the README's example (drop test accounts, tag the
 * staff of one store) drops and tags single records, and a rule that throws rejects its record while the input it
 * came from (a file, a sync run) still completes.
 */
class RecordRulesTest {

    private static final String RULES = """
            - route:
                id: record-rules
                routeConfigurationId: ingest-propagates-errors
                from:
                  uri: direct:record-rules
                  steps:
                    - filter:
                        simple: "${header.email} endsWith '@example.org'"
                        steps:
                          - setHeader:
                              name: dropReason
                              constant: "test account (@example.org)"
                          - stop: {}
                    - filter:
                        simple: "${header.kind} == 'customer' && ${header.store} == 'eu'"
                        steps:
                          - setHeader:
                              name: addTag
                              constant: "eu-team"
                    - filter:
                        simple: "${header.email} startsWith 'boom' || ${header.platform} == 'bigcommerce'"
                        steps:
                          - throwException:
                              exceptionType: java.lang.IllegalArgumentException
                              message: "rule refuses ${header.sourceId}"
            """;

    @Test
    void rulesDropTagAndRejectOneRecordAndEveryInputCompletes(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes");
        TestFiles.copyTree(Path.of("routes"), routes);
        Files.writeString(routes.resolve("record-rules.yaml"), RULES, StandardCharsets.UTF_8);
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
            assertThat(app.app.bean("recordRules", RecordRules.class).passesEverythingThrough())
                    .as("rules that drop, tag and throw are applied to every record").isFalse();
            // HTTP drop: one test account dropped, the good ones in the same chunk kept and tagged
            String body = customer(1, "ada@shop.test") + customer(2, "tester@example.org") + customer(3, "lin@shop.test");
            HttpResponse<String> answer = app.post("/drop/shopify/eu", AppHarness.TOKEN,
                    body.getBytes(StandardCharsets.UTF_8));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode outcome = app.json.readTree(answer.body());
            assertThat(outcome.get("accepted").asInt()).isEqualTo(2);
            assertThat(outcome.get("rejected").asInt()).isEqualTo(1);
            assertThat(outcome.at("/rejects/0/reason").asText()).isEqualTo("test account (@example.org)");
            assertThat(outcome.at("/rejects/0/line").asInt()).isEqualTo(2);
            JsonNode ada = app.getJson("/identities?email=ada@shop.test");
            assertThat(ada.get("identities")).hasSize(1);
            assertThat(ada.at("/identities/0/accounts/0").toString()).contains("eu-team");
            assertThat(app.getJson("/identities?email=tester@example.org").get("identities")).isEmpty();

            // file drop: a throwing rule rejects its record; the file completes (.done) with its rejects beside
            Path file = app.inbox().resolve("shopify/eu/rules.ndjson");
            Files.createDirectories(file.getParent());
            Path staged = Files.writeString(file.resolveSibling(".staged"),
                    customer(4, "boom@shop.test") + customer(5, "mo@shop.test"));
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
            Path done = app.inbox().resolve(".done/shopify/eu/rules.ndjson");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(done));
            Path rejects = app.inbox().resolve(".error/shopify/eu/rules.ndjson.rejects.ndjson");
            assertThat(Files.readString(rejects)).contains("rule refuses 4").doesNotContain("\"line\":2,");
            assertThat(Files.exists(file.resolveSibling("rules.ndjson.camelLock"))).isFalse();
            assertThat(app.getJson("/identities?email=mo@shop.test").get("identities")).hasSize(1);

            // sync run: a rule throws on every record of the store; the run ends, it does not stay running
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
            assertThat(String.valueOf(run.get("records"))).isEqualTo("20");
            assertThat(String.valueOf(run.get("rejected"))).as("each record is its rule's reject").isEqualTo("20");
            assertThat(String.valueOf(run.get("created"))).isEqualTo("0");
        }
    }

    @Test
    void theShippedRuleFileIsSeenToPassEveryRecordThroughUntilARuleIsAdded(@TempDir Path dir) throws Exception {
        try (AppHarness app = new AppHarness(dir, Map.of())) {
            RecordRules rules = app.app.bean("recordRules", RecordRules.class);
            assertThat(rules.passesEverythingThrough()).as("routes/record-rules.yaml as shipped: a TRACE log only")
                    .isTrue();
            app.app.context().getRouteController().stopRoute("record-rules");
            app.app.context().removeRoute("record-rules");
            app.app.context().addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from(RecordRules.ENDPOINT).routeId("record-rules-2").setHeader(RecordRules.ADD_TAG, constant("x"));
                }
            });
            assertThat(rules.passesEverythingThrough()).as("the route that replaced it tags records").isFalse();
        }
    }

    private static String customer(int id, String email) {
        return "{\"id\":" + id + ",\"email\":\"" + email + "\",\"first_name\":\"F" + id + "\",\"last_name\":\"L\","
                + "\"state\":\"enabled\",\"created_at\":\"2024-01-01T10:00:00Z\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n";
    }
}
