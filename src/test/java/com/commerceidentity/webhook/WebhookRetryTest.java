package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook work that fails is not lost: thin BigCommerce events whose follow-up fetch fails while the store is
 * down are retried on a back-off schedule until the store answers; an event that fails every attempt ends
 * dead, is shown by {@code GET /webhook-inbox} and re-queued by {@code POST /webhook-inbox/retry}; attempts
 * survive a restart.
 */
class WebhookRetryTest {
    static final String STORE = "bigcommerce-sandbox";

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private EmbeddedApp start(int port, Map<String, String> retry) throws Exception {
        Map<String, String> s = SandboxApp.settings(dir, port);
        // The store call gives up quickly, so the outage reaches the webhook work within a poll or two.
        s.put("app.store-call.max-attempts", "2");
        s.put("app.store-call.backoff-base-ms", "50");
        s.put("app.store-call.backoff-max-ms", "100");
        s.put("stores." + STORE + ".client-secret", "bc-example-client-secret");
        s.putAll(retry);
        return EmbeddedApp.start(s);
    }

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode inbox(int port) throws Exception {
        HttpResponse<String> r = send(port, "GET", "/webhook-inbox");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private JsonNode row(int port, long seq) throws Exception {
        for (JsonNode row : inbox(port).path("recent")) {
            if (row.path("seq").asLong() == seq) {
                return row;
            }
        }
        return null;
    }

    private JsonNode feed(int port) throws Exception {
        return json.readTree(send(port, "GET", "/feed?limit=1000").body()).get("events");
    }

    private static long count(JsonNode events, String accountKey, String type) {
        long n = 0;
        for (JsonNode e : events) {
            if (e.path("accountKey").asText().equals(accountKey) && e.path("type").asText().equals(type)) {
                n++;
            }
        }
        return n;
    }

    private static Simulator bigCommerce(EmbeddedApp app) {
        return app.bean("sandboxStores", SandboxStores.class).simulator(STORE);
    }

    /** The store subscribes its customer events to this app, then its customer API goes down (503) until cleared. */
    private Simulator subscribedAndDown(EmbeddedApp app, int port) throws Exception {
        HttpResponse<String> registered = send(port, "POST", "/stores/" + STORE + "/webhooks");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        Simulator bc = bigCommerce(app);
        bc.faults().add(FaultType.SERVER_ERROR, "GET", "*/v3/customers", -1, 0, 503);
        return bc;
    }

    private String createCustomer(Simulator bc, String email) {
        JsonNode c = bc.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                .put("email", email).put("first_name", "Retry").put("last_name", "Person"));
        return "bigcommerce:" + STORE + ":customer:" + c.path("id").asText();
    }

    @Test
    void thinEventsWhoseFetchFailsDuringAStoreOutageReachTheFeedOnceItRecoversWithoutAnyRedelivery() throws Exception {
        int port = SandboxApp.freePort();
        try (EmbeddedApp app = start(port, Map.of("app.webhooks.retry.first-delay-ms", "400",
                "app.webhooks.retry.max-delay-ms", "1600", "app.webhooks.retry.max-attempts", "30"))) {
            Simulator bc = subscribedAndDown(app, port);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                keys.add(createCustomer(bc, "outage" + i + "@example.org"));
            }
            assertThat(bc.webhooks().awaitIdle(Duration.ofSeconds(20))).isTrue();
            assertThat(bc.webhooks().attempts()).hasSize(5).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));

            // Failed, and tried again on its own: nobody redelivered anything.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode report = inbox(port);
                if (report.path("counts").path("failed").asLong() != 5) {
                    return false;
                }
                for (JsonNode row : report.path("recent")) {
                    if (row.path("attempts").asInt() < 2) {
                        return false;
                    }
                }
                return true;
            });
            JsonNode report = inbox(port);
            assertThat(report.path("recent")).hasSize(5).allSatisfy(row -> {
                assertThat(row.path("status").asText()).isEqualTo("failed");
                assertThat(row.path("platform").asText()).isEqualTo("bigcommerce");
                assertThat(row.path("store").asText()).isEqualTo(STORE);
                assertThat(row.path("topic").asText()).isEqualTo("store/customer/created");
                assertThat(Instant.parse(row.path("nextAttemptAt").asText())).isAfter(Instant.now().minusSeconds(5));
                assertThat(row.path("error").asText()).contains("HTTP 503");
            });
            JsonNode during = feed(port);
            for (String key : keys) {
                assertThat(count(during, key, "identity.created")).as("not in the feed during the outage").isZero();
            }

            bc.faults().clear();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode events = feed(port);
                return keys.stream().allMatch(k -> count(events, k, "identity.created") > 0);
            });
            JsonNode events = feed(port);
            for (String key : keys) {
                assertThat(count(events, key, "identity.created")).as(key).isEqualTo(1);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    inbox(port).path("counts").path("done").asLong() == 5);
            JsonNode settled = inbox(port);
            assertThat(settled.path("counts").path("failed").asLong()).isZero();
            assertThat(settled.path("counts").path("dead").asLong()).isZero();
            assertThat(settled.path("recent")).isEmpty();
            assertThat(bc.webhooks().attempts()).as("each event was delivered once").hasSize(5);
        }
    }

    @Test
    void anEventFailingEveryAttemptEndsDeadIsListedKeptByThePurgeAndARetryBringsItToTheFeed() throws Exception {
        int port = SandboxApp.freePort();
        // Retention 0: the purge would drop every applied row at once, so only its rule for dead rows keeps this one.
        try (EmbeddedApp app = start(port, Map.of("app.webhooks.retry.first-delay-ms", "200",
                "app.webhooks.retry.max-delay-ms", "400", "app.webhooks.retry.max-attempts", "3",
                "app.webhooks.retention-hours", "0"))) {
            StoreConfig store = app.bean("storeRegistry", StoreRegistry.class).get(STORE).orElseThrow();
            HttpResponse<String> registered = send(port, "POST", "/stores/" + STORE + "/webhooks");
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
            Simulator bc = bigCommerce(app);
            String applied = createCustomer(bc, "applied.first@example.org");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(feed(port), applied, "identity.created") == 1);

            bc.faults().add(FaultType.SERVER_ERROR, "GET", "*/v3/customers", -1, 0, 503);
            String key = createCustomer(bc, "dead.letter@example.org");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inbox(port).path("counts").path("dead").asLong() == 1);

            HttpResponse<String> listing = send(port, "GET", "/webhook-inbox");
            assertThat(listing.body()).as("never bodies or secrets").doesNotContain("\"hash\"").doesNotContain("producer")
                    .doesNotContain(store.webhookSecret()).doesNotContain(store.token());
            JsonNode report = json.readTree(listing.body());
            assertThat(report.path("counts").path("failed").asLong()).isZero();
            assertThat(report.path("recent")).hasSize(1);
            JsonNode dead = report.path("recent").get(0);
            assertThat(dead.path("seq").asLong()).isPositive();
            assertThat(dead.path("status").asText()).isEqualTo("dead");
            assertThat(dead.path("platform").asText()).isEqualTo("bigcommerce");
            assertThat(dead.path("store").asText()).isEqualTo(STORE);
            assertThat(dead.path("topic").asText()).isEqualTo("store/customer/created");
            assertThat(dead.path("attempts").asInt()).isEqualTo(3);
            assertThat(dead.path("nextAttemptAt").isNull()).isTrue();
            assertThat(dead.path("error").asText()).contains("HTTP 503");
            MeterRegistry meters = app.context().getRegistry().findSingleByType(MeterRegistry.class);
            Counter deaths = meters.find("webhook.events.failed").tag("outcome", "dead").tag("store", STORE).counter();
            assertThat(deaths).isNotNull();
            assertThat(deaths.count()).isEqualTo(1.0);

            assertThat(app.bean("webhookInbox", WebhookInboxRepository.class).purge()).as("the applied row goes").isEqualTo(1);
            assertThat(inbox(port).path("counts").path("dead").asLong()).as("the dead one stays").isEqualTo(1);

            // The store is back, but a dead event waits for ops: nothing retries it on its own.
            bc.faults().clear();
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    inbox(port).path("counts").path("dead").asLong() == 1 && count(feed(port), key, "identity.created") == 0);

            HttpResponse<String> unknown = send(port, "POST", "/webhook-inbox/retry?store=no-such-store");
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
            HttpResponse<String> retried = send(port, "POST", "/webhook-inbox/retry?store=" + STORE);
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(json.readTree(retried.body()).path("requeued").asInt()).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(feed(port), key, "identity.created") == 1);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inbox(port).path("counts").path("dead").asLong() == 0);
            assertThat(json.readTree(send(port, "POST", "/webhook-inbox/retry").body()).path("requeued").asInt())
                    .as("nothing left to re-queue").isZero();
        }
    }

    @Test
    void attemptsAndTheNextAttemptTimeSurviveARestart() throws Exception {
        // Long enough a wait after the second failure for the app to restart and the outage to be re-armed.
        Map<String, String> retry = Map.of("app.webhooks.retry.first-delay-ms", "3000",
                "app.webhooks.retry.max-delay-ms", "60000", "app.webhooks.retry.max-attempts", "3");
        int port = SandboxApp.freePort();
        long seq;
        String nextAttemptAt;
        try (EmbeddedApp app = start(port, retry)) {
            Simulator bc = subscribedAndDown(app, port);
            createCustomer(bc, "restart.retry@example.org");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode recent = inbox(port).path("recent");
                return recent.size() == 1 && recent.get(0).path("attempts").asInt() == 2;
            });
            JsonNode row = inbox(port).path("recent").get(0);
            seq = row.path("seq").asLong();
            nextAttemptAt = row.path("nextAttemptAt").asText();
            assertThat(row.path("status").asText()).isEqualTo("failed");
        }
        try (EmbeddedApp app = start(port, retry)) {
            bigCommerce(app).faults().add(FaultType.SERVER_ERROR, "GET", "*/v3/customers", -1, 0, 503);
            JsonNode row = row(port, seq);
            assertThat(row).isNotNull();
            assertThat(row.path("attempts").asInt()).as("count kept").isEqualTo(2);
            assertThat(row.path("nextAttemptAt").asText()).as("schedule kept").isEqualTo(nextAttemptAt);

            // The third failure is the last of three: the count went on from two instead of starting over.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "dead".equals(row(port, seq).path("status").asText()));
            assertThat(Instant.now()).as("not tried before its stored time").isAfterOrEqualTo(Instant.parse(nextAttemptAt));
            assertThat(row(port, seq).path("attempts").asInt()).isEqualTo(3);
        }
    }
}
