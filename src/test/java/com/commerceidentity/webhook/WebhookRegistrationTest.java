package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.WebhookDispatcher;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /stores/{id}/webhooks} for a Shopify store, against the sandbox shop's REST webhooks API. */
class WebhookRegistrationTest {
    static final List<String> CUSTOMER_TOPICS = List.of("customers/create", "customers/update", "customers/delete",
            "customers/enable", "customers/disable");
    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private EmbeddedApp start(int port, String publicUrl) throws Exception {
        Map<String, String> s = SandboxApp.settings(dir, port);
        s.put("app.webhooks.public-url", publicUrl);
        return EmbeddedApp.start(s);
    }

    private HttpResponse<String> register(int port, String store) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stores/" + store + "/webhooks"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Straight to the sandbox shop, as a person checking the shop's subscriptions would. */
    private HttpResponse<String> shopWebhooks(StoreConfig store, String method, String query, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(store.baseUrl() + "/admin/api/2025-07/webhooks.json" + query))
                .timeout(Duration.ofSeconds(10)).header("X-Shopify-Access-Token", store.token())
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> topicsAt(StoreConfig store, String address) throws Exception {
        List<String> topics = new ArrayList<>();
        json.readTree(shopWebhooks(store, "GET", "?address=" + URLEncoder.encode(address, StandardCharsets.UTF_8), null)
                .body()).path("webhooks").forEach(w -> topics.add(w.path("topic").asText()));
        return topics;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private JsonNode feed(int port) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/feed?limit=1000"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body()).get("events");
    }

    @Test
    void aShopifyStoreGetsEachMissingCustomerTopicOnceAndNewCustomersArriveThroughTheSubscription() throws Exception {
        int port = SandboxApp.freePort();
        String publicUrl = "http://127.0.0.1:" + port;
        try (EmbeddedApp app = start(port, publicUrl)) {
            Simulator shop = app.bean("sandboxStores", SandboxStores.class).simulator("shopify-sandbox");
            StoreConfig store = app.bean("storeRegistry", StoreRegistry.class).get("shopify-sandbox").orElseThrow();
            String destination = publicUrl + "/webhooks/shopify/shopify-sandbox";
            // Another app's address and one topic someone already subscribed for us by hand: both must stay as they are.
            assertThat(shopWebhooks(store, "POST", "", "{\"webhook\":{\"topic\":\"customers/create\","
                    + "\"address\":\"https://other-app.example.com/hooks\",\"format\":\"json\"}}").statusCode()).isEqualTo(201);
            JsonNode byHand = json.readTree(shopWebhooks(store, "POST", "", "{\"webhook\":{\"topic\":\"customers/update\","
                    + "\"address\":\"" + destination + "\",\"format\":\"json\"}}").body()).path("webhook");
            // A bucket of 3 cannot take the look-up and four creates at once: the calls wait inside the store's budget.
            shop.configure(json.createObjectNode().put("bucketCapacity", 3).put("leakPerSecond", 2));

            HttpResponse<String> first = register(port, "shopify-sandbox");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(shop.counters().tooManyRequests()).as("paced by the store's budget, never refused").isZero();
            shop.configure(json.createObjectNode().put("bucketCapacity", 40));
            JsonNode answer = json.readTree(first.body());
            assertThat(answer.path("status").asText()).isEqualTo("registered");
            assertThat(answer.path("destination").asText()).isEqualTo(destination);
            assertThat(texts(answer.path("registered")))
                    .containsExactly("customers/create", "customers/delete", "customers/enable", "customers/disable");
            assertThat(texts(answer.path("alreadyRegistered"))).containsExactly("customers/update");
            assertThat(answer.path("note").asText()).contains("customers/redact", "customers/data_request", "shop/redact",
                    "compliance_topics", "shopify.app.toml");
            assertThat(first.body()).doesNotContain(store.webhookSecret()).doesNotContain(store.token());
            assertThat(topicsAt(store, destination)).containsExactlyInAnyOrderElementsOf(CUSTOMER_TOPICS);
            assertThat(topicsAt(store, "https://other-app.example.com/hooks")).containsExactly("customers/create");
            JsonNode kept = json.readTree(shopWebhooks(store, "GET", "?topic=customers/update", null).body()).path("webhooks");
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0).path("id").asLong()).as("the hand-made subscription is the same one").isEqualTo(byHand.path("id").asLong());

            HttpResponse<String> second = register(port, "shopify-sandbox");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            JsonNode again = json.readTree(second.body());
            assertThat(again.path("status").asText()).isEqualTo("already registered");
            assertThat(again.path("registered")).isEmpty();
            assertThat(texts(again.path("alreadyRegistered"))).containsExactlyElementsOf(CUSTOMER_TOPICS);
            assertThat(topicsAt(store, destination)).hasSize(5);

            JsonNode created = shop.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                    .put("email", "subscribed.person@example.org").put("first_name", "Sub").put("last_name", "Scribed"));
            String key = "shopify:shopify-sandbox:customer:" + created.path("id").asText();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (JsonNode e : feed(port)) {
                    if (e.path("accountKey").asText().equals(key) && e.path("type").asText().equals("identity.created")) {
                        return true;
                    }
                }
                return false;
            });
            List<WebhookDispatcher.Attempt> attempts = shop.webhooks().attempts();
            assertThat(attempts).filteredOn(a -> a.url().equals(destination))
                    .singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
        }
    }

    @Test
    void whenShopifyRefusesASubscriptionTheAnswerSaysWhichAndWhy() throws Exception {
        int port = SandboxApp.freePort();
        // Shopify delivers over HTTPS only: a plain-HTTP public address off this machine is refused.
        try (EmbeddedApp app = start(port, "http://feed.example.com")) {
            HttpResponse<String> refused = register(port, "shopify-sandbox");
            assertThat(refused.statusCode()).isEqualTo(502);
            JsonNode answer = json.readTree(refused.body());
            assertThat(answer.path("error").asText()).contains("refused", "customers/create");
            assertThat(answer.path("registered")).isEmpty();
            JsonNode reason = answer.path("refused").path("customers/create");
            assertThat(reason.path("status").asInt()).isEqualTo(422);
            assertThat(texts(reason.path("errors").path("address"))).containsExactly("protocol http:// is not supported");

            HttpResponse<String> magento = register(port, "magento-sandbox");
            assertThat(magento.statusCode()).isEqualTo(400);
            assertThat(json.readTree(magento.body()).path("error").asText()).contains("bigcommerce and shopify");
        }
    }
}
