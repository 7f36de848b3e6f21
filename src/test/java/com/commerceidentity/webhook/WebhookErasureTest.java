package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shopify {@code customers/redact}: the customer's personal data leaves the graph, every stored event and the
 * NDJSON files already written, and stays gone after replays and restarts.
 */
class WebhookErasureTest {
    static final String SECRET = "erasure-test-app-secret";
    static final String DROP_TOKEN = "erasure-test-drop-token";
    static final String KEY = "shopify:eu-shop:customer:7001";
    static final String[] PERSONAL = {"erase.me@fjordmail.no", "Erase.Me@FjordMail.no", "+14155550199", "415-555-0199",
            "Erasmus", "Gone-Again"};

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    int port;

    private EmbeddedApp start() throws Exception {
        return start(Map.of());
    }

    private EmbeddedApp start(Map<String, String> more) throws Exception {
        port = com.commerceidentity.TestPorts.free();
        Map<String, String> s = new HashMap<>(more);
        s.put("app.data-dir", dir.resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("camel.server.port", Integer.toString(port));
        s.put("sandbox.enabled", "false");
        s.put("app.sync.enabled", "false");
        s.put("app.drop.token", DROP_TOKEN);
        s.put("app.webhooks.poll-ms", "100");
        s.put("stores.eu-shop.platform", "shopify");
        s.put("stores.eu-shop.base-url", "http://127.0.0.1:9");
        s.put("stores.eu-shop.webhook-secret", SECRET);
        s.put("stores.us-store.platform", "bigcommerce");
        s.put("stores.us-store.base-url", "http://127.0.0.1:9");
        return EmbeddedApp.start(s);
    }

    private HttpResponse<String> deliver(String topic, String eventId, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String hmac = Base64.getEncoder().encodeToString(Signatures.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), bytes));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/eu-shop"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/json").header("X-Shopify-Hmac-Sha256", hmac)
                .header("X-Shopify-Topic", topic).header("X-Shopify-Event-Id", eventId)
                .header("X-Shopify-Webhook-Id", "w-" + eventId).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String customer(String lastName, String updatedAt) {
        return "{\"id\":7001,\"email\":\"Erase.Me@FjordMail.no\",\"first_name\":\"Erasmus\",\"last_name\":\"" + lastName
                + "\",\"phone\":\"415-555-0199\",\"state\":\"enabled\",\"created_at\":\"2024-01-01T00:00:00Z\","
                + "\"updated_at\":\"" + updatedAt + "\"}";
    }

    private static final String REDACT = "{\"shop_id\":954889,\"shop_domain\":\"eu-shop.myshopify.com\","
            + "\"customer\":{\"id\":7001,\"email\":\"Erase.Me@FjordMail.no\",\"phone\":\"415-555-0199\"},"
            + "\"orders_to_redact\":[]}";

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode events() throws Exception {
        return json.readTree(get("/feed?limit=1000")).get("events");
    }

    private boolean has(String type, String accountKey) throws Exception {
        for (JsonNode e : events()) {
            if (e.path("type").asText().equals(type) && e.path("accountKey").asText().equals(accountKey)) {
                return true;
            }
        }
        return false;
    }

    private String feedFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("data").resolve("feed"))) {
            return files.sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining());
        }
    }

    private void assertNothingPersonalLeft(String where, String text) {
        for (String value : PERSONAL) {
            assertThat(text).as(where + " still shows " + value).doesNotContain(value);
        }
    }

    @Test
    void redactRemovesTheCustomerFromIdentitiesTheFeedAndTheFilesForGood() throws Exception {
        try (EmbeddedApp app = start()) {
            assertThat(deliver("customers/create", "e1", customer("Gone", "2024-01-01T00:00:00Z")).statusCode()).isEqualTo(200);
            assertThat(deliver("customers/update", "e2", customer("Gone-Again", "2024-02-01T00:00:00Z")).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> has("identity.updated", KEY));
            assertThat(get("/identities?email=erase.me@fjordmail.no")).contains("Gone-Again");
            assertThat(feedFiles()).contains("Erasmus");

            // An update for this customer that ran out of retries: its stored body holds the personal data too.
            try (java.sql.Connection c = app.bean("identityGraph", com.commerceidentity.graph.IdentityGraph.class)
                    .store().connection();
                 java.sql.Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("UPDATE webhook_inbox SET status = 'dead', body = "
                        + "CAST(X'" + java.util.HexFormat.of().formatHex(customer("Gone-Again", "2024-02-01T00:00:00Z")
                        .getBytes(StandardCharsets.UTF_8)) + "' AS BINARY VARYING) WHERE dedup_key LIKE '%e2%'")).isEqualTo(1);
            }
            assertThat(json.readTree(get("/webhook-inbox")).path("counts").path("dead").asLong()).isEqualTo(1);

            assertThat(deliver("customers/redact", "e3", REDACT).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> has("account.erased", KEY));

            assertThat(json.readTree(get("/identities?email=erase.me@fjordmail.no")).path("identities")).isEmpty();
            assertNothingPersonalLeft("GET /feed", get("/feed?limit=1000"));
            assertNothingPersonalLeft("the NDJSON files", feedFiles());
            assertThat(events()).as("the erased account's key and history stay").hasSizeGreaterThanOrEqualTo(4);
            JsonNode inbox = json.readTree(get("/webhook-inbox"));
            assertThat(inbox.path("counts").path("dead").asLong()).as("the dead event is set aside, not left to be re-queued")
                    .isZero();
            assertThat(inbox.path("counts").path("erased").asLong()).isEqualTo(1);

            // A late retry of an old update must not bring the data back.
            assertThat(deliver("customers/update", "e4", customer("Gone", "2024-01-15T00:00:00Z")).statusCode()).isEqualTo(200);
            Awaitility.await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> get("/feed?limit=1000").length() > 0);
            assertNothingPersonalLeft("GET /feed after a replay", get("/feed?limit=1000"));
        }
        try (EmbeddedApp app = start()) {
            assertNothingPersonalLeft("GET /feed after a restart", get("/feed?limit=1000"));
            assertNothingPersonalLeft("the NDJSON files after a restart", feedFiles());
        }
    }

    /**
     * H2 writes changes to new pages and leaves old ones in the file: after the erasure the email was still in the
     * database file. The next stop compacts the file. This test's file is uncompressed (the app's default is
     * compressed), so the bytes would be readable as they are, and H2's own time-boxed compaction at close is off
     * ({@code MAX_COMPACT_TIME=0}): on a small file it rewrites everything, on a large one it stops after 200 ms.
     */
    @Test
    void theDatabaseFileHoldsNoErasedDataOnceTheAppHasStopped() throws Exception {
        Path db = dir.resolve("data").resolve("db");
        Map<String, String> plainFile = Map.of("app.db.url", "jdbc:h2:file:" + db.resolve("identity") + ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=0");
        try (EmbeddedApp app = start(plainFile)) {
            assertThat(deliver("customers/create", "e1", customer("Gone", "2024-01-01T00:00:00Z")).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> has("identity.created", KEY));
            app.bean("identityGraph", com.commerceidentity.graph.IdentityGraph.class).store().connection().close();
            try (java.sql.Connection c = app.bean("dataSource", javax.sql.DataSource.class).getConnection();
                 java.sql.Statement st = c.createStatement()) {
                st.execute("CHECKPOINT SYNC");
            }
            assertThat(new String(Files.readAllBytes(db.resolve("identity.mv.db")), StandardCharsets.ISO_8859_1))
                    .as("the file holds the customer before the erasure").contains("erase.me@fjordmail.no");

            assertThat(deliver("customers/redact", "e3", REDACT).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> has("account.erased", KEY));
            assertThat(db.resolve("identity.erased-not-compacted")).as("marked for compaction").exists();
        }
        assertNothingPersonalLeft("the database file after the stop",
                new String(Files.readAllBytes(db.resolve("identity.mv.db")), StandardCharsets.ISO_8859_1));
        assertThat(db.resolve("identity.erased-not-compacted")).doesNotExist();
        try (EmbeddedApp app = start(plainFile)) {
            assertThat(json.readTree(get("/identities?email=erase.me@fjordmail.no")).path("identities")).isEmpty();
            assertThat(events()).as("the feed's history is still there after the compaction").isNotEmpty();
        }
    }

    @Test
    void redactOfOneAccountKeepsThePersonsOtherAccounts() throws Exception {
        try (EmbeddedApp app = start()) {
            String other = "{\"id\":55,\"email\":\"erase.me@fjordmail.no\",\"first_name\":\"Eve\",\"last_name\":\"Stays\","
                    + "\"date_modified\":\"2024-03-01T00:00:00Z\"}\n";
            HttpResponse<String> dropped = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/drop/bigcommerce/us-store"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + DROP_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(other)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(dropped.statusCode()).as(dropped.body()).isEqualTo(200);
            deliver("customers/create", "e1", customer("Gone-Again", "2024-01-01T00:00:00Z"));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> has("account.linked", KEY));

            deliver("customers/redact", "e2", REDACT);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> has("account.erased", KEY));

            JsonNode found = json.readTree(get("/identities?email=erase.me@fjordmail.no")).path("identities");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).path("status").asText()).isEqualTo("active");
            assertThat(found.get(0).toString()).contains("Stays").doesNotContain("Erasmus");
            String feed = get("/feed?limit=1000");
            assertThat(feed).contains("Stays");
            for (String value : new String[] {"Erasmus", "Gone-Again", "+14155550199", "415-555-0199"}) {
                assertThat(feed).doesNotContain(value);
                assertThat(feedFiles()).doesNotContain(value);
            }
        }
    }
}
