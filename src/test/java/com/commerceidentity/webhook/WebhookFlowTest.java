package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries from the sandbox stores: verified, stored once, applied; thin ones fetched in batches. */
class WebhookFlowTest {
    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private EmbeddedApp start(int port) throws Exception {
        Map<String, String> s = SandboxApp.settings(dir, port);
        s.put("sandbox.customers", "20");
        s.put("app.webhooks.poll-ms", "1000");
        s.put("app.webhooks.max-body-bytes", "4096");
        s.put("stores.bigcommerce-sandbox.client-secret", "bc-example-client-secret");
        return EmbeddedApp.start(s);
    }

    private HttpResponse<String> post(int port, String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode feed(int port) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/feed?limit=1000"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body()).get("events");
    }

    private static boolean mentions(JsonNode events, String accountKey, String type) {
        for (JsonNode e : events) {
            if (e.path("accountKey").asText().equals(accountKey) && e.path("type").asText().equals(type)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, String> shopifyHeaders(StoreConfig store, byte[] body, String eventId, String topic) {
        String hmac = Base64.getEncoder().encodeToString(
                Signatures.hmacSha256(store.webhookSecret().getBytes(StandardCharsets.UTF_8), body));
        return Map.of("X-Shopify-Hmac-Sha256", hmac, "X-Shopify-Event-Id", eventId, "X-Shopify-Topic", topic,
                "X-Shopify-Webhook-Id", "w-" + eventId);
    }

    @Test
    void shopifyDeliveriesAreVerifiedStoredOnceAndApplied() throws Exception {
        int port = SandboxApp.freePort();
        try (EmbeddedApp app = start(port)) {
            Simulator shop = app.bean("sandboxStores", SandboxStores.class).simulator("shopify-sandbox");
            StoreConfig store = app.bean("storeRegistry", StoreRegistry.class).get("shopify-sandbox").orElseThrow();
            shop.configure(json.createObjectNode().put("webhookUrl", "http://127.0.0.1:" + port + "/webhooks/shopify/shopify-sandbox"));
            JsonNode created = shop.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                    .put("email", "hook.person@example.org").put("first_name", "Hook").put("last_name", "Person"));
            String key = "shopify:shopify-sandbox:customer:" + created.path("id").asText();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> mentions(feed(port), key, "identity.created"));

            byte[] body = "{\"id\":1,\"email\":\"x@example.org\"}".getBytes(StandardCharsets.UTF_8);
            Map<String, String> signed = shopifyHeaders(store, body, "evt-1", "customers/update");
            assertThat(post(port, "/webhooks/shopify/shopify-sandbox", signed, body).body()).contains("accepted");
            HttpResponse<String> replayed = post(port, "/webhooks/shopify/shopify-sandbox", signed, body);
            assertThat(replayed.body()).as("replayed").contains("duplicate");
            assertThat(replayed.headers().map().keySet()).as("the answer does not echo the request's headers")
                    .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("x-shopify"));
            HttpRequest.Builder form = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/webhooks/shopify/shopify-sandbox")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            signed.forEach(form::header);
            HttpResponse<String> formAnswer = http.send(form.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(formAnswer.statusCode()).as("a JSON event sent as a form (curl -d)").isEqualTo(415);
            assertThat(formAnswer.body()).contains("application/json");
            byte[] viaQuery = "{\"id\":4,\"email\":\"q@example.org\"}".getBytes(StandardCharsets.UTF_8);
            StringBuilder query = new StringBuilder();
            shopifyHeaders(store, viaQuery, "evt-4", "customers/update").forEach((k, v) -> query.append(query.length() == 0
                    ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            assertThat(post(port, "/webhooks/shopify/shopify-sandbox" + query, Map.of(), viaQuery).statusCode())
                    .as("a valid signature in the query string instead of the headers").isEqualTo(401);
            byte[] tampered = "{\"id\":1,\"email\":\"y@example.org\"}".getBytes(StandardCharsets.UTF_8);
            assertThat(post(port, "/webhooks/shopify/shopify-sandbox", signed, tampered).statusCode()).isEqualTo(401);
            assertThat(post(port, "/webhooks/shopify/shopify-sandbox", Map.of("X-Shopify-Topic", "customers/update"), body)
                    .statusCode()).as("no signature").isEqualTo(401);
            byte[] huge = ("{\"id\":2,\"note\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(post(port, "/webhooks/shopify/shopify-sandbox", shopifyHeaders(store, huge, "evt-2", "customers/update"),
                    huge).statusCode()).isEqualTo(413);
            byte[] other = "{\"id\":3}".getBytes(StandardCharsets.UTF_8);
            assertThat(post(port, "/webhooks/shopify/shopify-sandbox", shopifyHeaders(store, other, "evt-3", "orders/create"),
                    other).statusCode()).as("unknown topic acknowledged").isEqualTo(200);
        }
        int again = SandboxApp.freePort();
        try (EmbeddedApp app = start(again)) {
            StoreConfig store = app.bean("storeRegistry", StoreRegistry.class).get("shopify-sandbox").orElseThrow();
            byte[] body = "{\"id\":1,\"email\":\"x@example.org\"}".getBytes(StandardCharsets.UTF_8);
            // new sandbox secrets after a restart: sign with the new one; the event id is what makes it a duplicate
            assertThat(post(again, "/webhooks/shopify/shopify-sandbox", shopifyHeaders(store, body, "evt-1", "customers/update"),
                    body).body()).as("still a duplicate after a restart").contains("duplicate");
        }
    }

    @Test
    void bigCommerceThinEventsAreFetchedInBatchesNotOneRequestEach() throws Exception {
        int port = SandboxApp.freePort();
        try (EmbeddedApp app = start(port)) {
            Simulator bc = app.bean("sandboxStores", SandboxStores.class).simulator("bigcommerce-sandbox");
            StoreConfig store = app.bean("storeRegistry", StoreRegistry.class).get("bigcommerce-sandbox").orElseThrow();
            HttpResponse<String> registered = post(port, "/stores/bigcommerce-sandbox/webhooks", Map.of(), new byte[0]);
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
            assertThat(registered.body()).contains("\"registered\"").doesNotContain(store.webhookSecret());
            assertThat(post(port, "/stores/bigcommerce-sandbox/webhooks", Map.of(), new byte[0]).body())
                    .as("registering twice keeps one hook").contains("already registered");
            // The 30 events are all stored before processing looks at the inbox, so the figure below does not
            // depend on how the creations fall across polls on a busy machine.
            app.context().getRouteController().stopRoute("webhook-process");
            WebhookInboxRepository inbox = app.bean("webhookInbox", WebhookInboxRepository.class);
            long before = bc.counters().total();
            Map<String, String> keys = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                JsonNode c = bc.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                        .put("email", "burst" + i + "@example.org").put("first_name", "Burst").put("last_name", "N" + i));
                keys.put(c.path("id").asText(), "bigcommerce:bigcommerce-sandbox:customer:" + c.path("id").asText());
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inbox.statusCounts().get("pending") == 30);
            app.context().getRouteController().startRoute("webhook-process");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode events = feed(port);
                return keys.values().stream().allMatch(k -> mentions(events, k, "identity.created"));
            });
            long followUps = bc.counters().total() - before;
            assertThat(followUps).as("30 stored events of one store fetched by id in one request").isEqualTo(1);
        }
    }
}
