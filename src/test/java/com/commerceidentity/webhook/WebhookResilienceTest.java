package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.commerceidentity.sandbox.SandboxStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the platform's delivery habits do to the feed: late and out-of-order updates, an app that dies after
 * acknowledging, redeliveries across a restart, topics we do not act on. Each scenario runs the real app on one
 * data directory with the sandbox Shopify store.
 */
class WebhookResilienceTest {
    /** Fixed, so deliveries signed before a restart still verify after it, as with a real app secret. */
    static final String SECRET = "resilience-app-secret";
    static final String STORE = "shopify-sandbox";
    static final String HOOK_PATH = "/webhooks/shopify/" + STORE;

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final ExecutorService senders = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopSenders() throws InterruptedException {
        senders.shutdownNow();
        senders.awaitTermination(10, TimeUnit.SECONDS);
    }

    private EmbeddedApp start(int port) throws Exception {
        Map<String, String> s = SandboxApp.settings(dir, port);
        s.put("stores." + STORE + ".webhook-secret", SECRET);
        s.put("sandbox.shopify.webhookUrl", "http://127.0.0.1:" + port + HOOK_PATH);
        return EmbeddedApp.start(s);
    }

    private static Simulator shop(EmbeddedApp app) {
        return app.bean("sandboxStores", SandboxStores.class).simulator(STORE);
    }

    /** One Shopify delivery as the platform sends it (and sends it again when it retries). */
    record Delivery(Map<String, String> headers, byte[] body) {
        static Delivery of(WebhookDispatcher.Attempt attempt) {
            Map<String, String> headers = new HashMap<>(attempt.headers());
            headers.remove("Content-Type");
            return new Delivery(headers, attempt.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    private Delivery signed(String topic, String eventId, JsonNode payload) throws Exception {
        byte[] body = json.writeValueAsBytes(payload);
        String hmac = Base64.getEncoder().encodeToString(Signatures.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), body));
        return new Delivery(Map.of("X-Shopify-Hmac-Sha256", hmac, "X-Shopify-Topic", topic, "X-Shopify-Event-Id", eventId,
                "X-Shopify-Webhook-Id", "w-" + eventId, "X-Shopify-Shop-Domain", "sandbox-shop.myshopify.com",
                "X-Shopify-API-Version", "2025-07"), body);
    }

    private ObjectNode customer(long id, String email, String firstName, String updatedAt) {
        return json.createObjectNode().put("id", id).put("email", email).put("first_name", firstName)
                .put("last_name", "Resilient").put("state", "enabled").put("verified_email", true)
                .put("created_at", "2026-11-20T10:00:00-05:00").put("updated_at", updatedAt)
                .put("admin_graphql_api_id", "gid://shopify/Customer/" + id);
    }

    private HttpResponse<String> deliver(int port, Delivery d) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + HOOK_PATH))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
                .header("Content-Type", "application/json");
        d.headers().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> events(int port, String accountKey) throws Exception {
        JsonNode page = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/feed?limit=1000"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<JsonNode> out = new ArrayList<>();
        page.path("events").forEach(e -> {
            if (e.path("accountKey").asText().equals(accountKey)) {
                out.add(e);
            }
        });
        return out;
    }

    private JsonNode identitiesByEmail(int port, String email) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/identities?email="
                        + URLEncoder.encode(email, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("identities");
    }

    /** The inbox as ops see it: status per stored event, oldest first, in the app's own database. */
    private static List<String> inboxStatuses(EmbeddedApp app) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = app.bean("dataSource", javax.sql.DataSource.class).getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT topic, status FROM webhook_inbox ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    /** Every key reaches the feed, and once the inbox is settled each shows exactly one identity.created. */
    private void assertEachCreatedOnce(EmbeddedApp app, int port, List<String> keys) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String key : keys) {
                if (events(port, key).isEmpty()) {
                    return false;
                }
            }
            return true;
        });
        awaitInboxSettled(app);
        for (String key : keys) {
            assertThat(events(port, key)).as(key).extracting(e -> e.path("type").asText()).containsExactly("identity.created");
        }
    }

    /**
     * No event waits or is being applied. On PostgreSQL a worker claims events first ({@code working}) and applies
     * them after: waiting for no {@code pending} alone read the inbox between the two (CI run 87).
     */
    private void awaitInboxSettled(EmbeddedApp app) {
        WebhookInboxRepository inbox = app.bean("webhookInbox", WebhookInboxRepository.class);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            Map<String, Long> counts = inbox.statusCounts();
            return counts.get("pending") == 0 && counts.get("working") == 0;
        });
    }

    /** Customers created in the Shopify sandbox (each sends its customers/create webhook); their account keys. */
    private List<String> createCustomers(Simulator shop, String emailPrefix, String firstName, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode c = shop.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                    .put("email", emailPrefix + i + "@shop.example").put("first_name", firstName).put("last_name", "N" + i));
            keys.add(key(c.path("id").asLong()));
        }
        return keys;
    }

    private static String key(long id) {
        return "shopify:" + STORE + ":customer:" + id;
    }

    @Test
    void anOlderUpdateDeliveredAfterANewerOneNeverRegressesTheAccount() throws Exception {
        int port = SandboxApp.freePort();
        try (EmbeddedApp app = start(port)) {
            long sameBatch = 9100000000000000001L;
            long laterPoll = 9100000000000000002L;
            assertThat(deliver(port, signed("customers/create", "c1", customer(sameBatch, "first.case@shop.example", "Original",
                    "2026-11-24T10:00:00-05:00"))).statusCode()).isEqualTo(200);
            assertThat(deliver(port, signed("customers/create", "c2", customer(laterPoll, "second.case@shop.example", "Original",
                    "2026-11-24T10:00:00-05:00"))).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !events(port, key(sameBatch)).isEmpty()
                    && !events(port, key(laterPoll)).isEmpty());

            // Newer then older, back to back: both wait in the inbox for the same poll.
            deliver(port, signed("customers/update", "u1-new", customer(sameBatch, "first.case@shop.example", "Newest",
                    "2026-11-24T12:00:00-05:00")));
            deliver(port, signed("customers/update", "u1-old", customer(sameBatch, "first.case@shop.example", "Stale",
                    "2026-11-24T11:00:00-05:00")));
            // Newer applied and published first; the older one turns up polls later.
            deliver(port, signed("customers/update", "u2-new", customer(laterPoll, "second.case@shop.example", "Newest",
                    "2026-11-24T12:00:00-05:00")));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> events(port, key(laterPoll)).size() == 2);
            assertThat(deliver(port, signed("customers/update", "u2-old", customer(laterPoll, "second.case@shop.example", "Stale",
                    "2026-11-24T11:00:00-05:00"))).body()).contains("accepted");
            awaitInboxSettled(app);

            for (long id : List.of(sameBatch, laterPoll)) {
                List<JsonNode> events = events(port, key(id));
                assertThat(events).as("created, then one update for the newer payload only")
                        .extracting(e -> e.path("type").asText()).containsExactly("identity.created", "identity.updated");
                assertThat(events.get(1).path("identity").path("golden").path("firstName").asText()).isEqualTo("Newest");
            }
            for (String email : List.of("first.case@shop.example", "second.case@shop.example")) {
                JsonNode identities = identitiesByEmail(port, email);
                assertThat(identities).hasSize(1);
                assertThat(identities.get(0).path("golden").path("firstName").asText()).as(email).isEqualTo("Newest");
            }
            assertThat(inboxStatuses(app)).as("the stale deliveries were applied (and lost), not failed")
                    .containsOnly("customers/create done", "customers/update done");
        }
    }

    @Test
    void eventsAcknowledgedButNotYetAppliedWhenTheAppStopsReachTheFeedOnceAfterARestart() throws Exception {
        int port = SandboxApp.freePort();
        List<String> keys = new ArrayList<>();
        try (EmbeddedApp app = start(port)) {
            // The app dies between acknowledging and applying: nothing takes events out of the inbox any more.
            app.context().getRouteController().stopRoute("webhook-process");
            Simulator shop = shop(app);
            keys.addAll(createCustomers(shop, "acked", "Acked", 12));
            assertThat(shop.webhooks().awaitIdle(Duration.ofSeconds(20))).isTrue();
            assertThat(shop.webhooks().attempts()).hasSize(12).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
            assertThat(app.bean("webhookInbox", WebhookInboxRepository.class).pending(100)).as("acknowledged and stored").hasSize(12);
            for (String key : keys) {
                assertThat(events(port, key)).as("not applied before the stop").isEmpty();
            }
        }
        try (EmbeddedApp app = start(port)) {
            assertEachCreatedOnce(app, port, keys);
        }
    }

    @Test
    void redeliveriesAroundARestartAreAnsweredAsDuplicatesAndReachTheFeedOnce() throws Exception {
        int port = SandboxApp.freePort();
        List<Delivery> before = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (EmbeddedApp app = start(port)) {
            Simulator shop = shop(app);
            keys.addAll(createCustomers(shop, "before", "Before", 8));
            assertThat(shop.webhooks().awaitIdle(Duration.ofSeconds(20))).isTrue();
            shop.webhooks().attempts().forEach(a -> {
                assertThat(a.status()).isEqualTo(200);
                before.add(Delivery.of(a));
            });
            // stopped straight after the acknowledgements: some may be applied, some still waiting in the inbox
        }
        for (Delivery d : before) {
            // The platform retries while the app is down; those attempts fail and it keeps the events for later.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> deliver(port, d)).isInstanceOf(ConnectException.class);
        }

        try (EmbeddedApp app = start(port)) {
            // Events that happened while the app was down, delivered twice at once right after the restart.
            List<Delivery> during = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long id = 9200000000000000000L + i;
                during.add(signed("customers/create", "during-" + i, customer(id, "during" + i + "@shop.example", "During",
                        "2026-11-24T09:00:00-05:00")));
                keys.add(key(id));
            }
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (Delivery d : before) {
                calls.add(() -> deliver(port, d));
                calls.add(() -> deliver(port, d));
            }
            for (Delivery d : during) {
                calls.add(() -> deliver(port, d));
                calls.add(() -> deliver(port, d));
            }
            List<String> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : senders.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                answers.add(json.readTree(r.body()).path("status").asText());
            }
            assertThat(answers.subList(0, 2 * before.size())).as("already stored before the restart").containsOnly("duplicate");
            List<String> duringAnswers = answers.subList(2 * before.size(), answers.size());
            assertThat(duringAnswers.stream().filter("accepted"::equals).count()).as("one copy of each stored").isEqualTo(4);
            assertThat(duringAnswers.stream().filter("duplicate"::equals).count()).isEqualTo(4);

            assertEachCreatedOnce(app, port, keys);
            assertThat(inboxStatuses(app)).hasSize(12).containsOnly("customers/create done");
        }
    }

    @Test
    void deliveriesRacingAShutdownAreStoredOrAnswered503NeverNotFoundAndEachReachesTheFeedOnce() throws Exception {
        int port = SandboxApp.freePort();
        List<Delivery> burst = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long id = 8900000000000000000L + i;
            burst.add(signed("customers/create", "race-" + i, customer(id, "race" + i + "@shop.example", "Race",
                    "2026-11-24T09:00:00-05:00")));
            keys.add(key(id));
        }
        Map<Integer, Integer> answered = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, Exception> unanswered = new java.util.concurrent.ConcurrentHashMap<>();
        List<Integer> unavailableWithoutRetryAfter = new java.util.concurrent.CopyOnWriteArrayList<>();
        EmbeddedApp first = start(port);
        Future<?> platform = senders.submit(() -> {
            for (int i = 0; i < burst.size(); i++) {
                try {
                    HttpResponse<String> r = deliver(port, burst.get(i));
                    answered.put(i, r.statusCode());
                    if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isEmpty()) {
                        unavailableWithoutRetryAfter.add(i);
                    }
                } catch (Exception e) {
                    answered.put(i, -1);
                    unanswered.put(i, e);
                }
            }
            return null;
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> answered.size() >= 10);
        first.close();
        platform.get(60, TimeUnit.SECONDS);
        List<Integer> acknowledged = answered.entrySet().stream().filter(e -> e.getValue() == 200).map(Map.Entry::getKey).toList();
        assertThat(acknowledged).as("some deliveries got in before the stop").isNotEmpty();
        // A stopping app says so (503 with Retry-After) or is no longer there; a 404 would claim the endpoint is gone.
        assertThat(answered.values()).as("answers during the shutdown").doesNotContain(404).isSubsetOf(200, 503, -1);
        assertThat(unavailableWithoutRetryAfter).as("every 503 says when to come back").isEmpty();
        // No answer means the server was gone: refused, or closed with the connection just accepted. Never a hang.
        assertThat(unanswered.values()).allSatisfy(e -> assertThat(e).isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(java.net.http.HttpTimeoutException.class));

        try (EmbeddedApp app = start(port)) {
            // Whatever was not answered 200 (503 while stopping, refused connections) Shopify retries; it may send
            // acknowledged ones again too.
            for (int i = 0; i < burst.size(); i++) {
                HttpResponse<String> again = deliver(port, burst.get(i));
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                if (acknowledged.contains(i)) {
                    assertThat(again.body()).as("acknowledged before the stop, so it was stored").contains("duplicate");
                }
            }
            assertEachCreatedOnce(app, port, keys);
        }
    }

    @Test
    void aTopicWeDoNotActOnIsAcknowledgedKeptAsIgnoredAndNeverReachesTheFeed() throws Exception {
        int port = SandboxApp.freePort();
        try (EmbeddedApp app = start(port)) {
            long id = 9000000000000000001L;
            // Customer-shaped on purpose: only the topic says it is not a change of this account.
            HttpResponse<String> answer = deliver(port, signed("customers/purchasing_summary", "ps-1",
                    customer(id, "summary.only@shop.example", "Summary", "2026-11-24T10:00:00-05:00")));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("accepted");
            awaitInboxSettled(app);
            assertThat(inboxStatuses(app)).containsExactly("customers/purchasing_summary ignored");
            assertThat(events(port, key(id))).isEmpty();
            assertThat(identitiesByEmail(port, "summary.only@shop.example")).isEmpty();
        }
    }
}
