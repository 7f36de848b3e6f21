package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shopify signs the body, not the topic: a signed body re-sent as {@code customers/delete} must not delete an
 * account the store still has. Deletions are applied once the store (here the sandbox simulator) no longer lists
 * the customer; a forged one is kept in the inbox as {@code refused}, with the reason.
 */
class DeletionConfirmedAtSourceTest {
    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    int port;

    private HttpResponse<String> deliver(StoreConfig store, String topic, String eventId, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String hmac = Base64.getEncoder().encodeToString(
                Signatures.hmacSha256(store.webhookSecret().getBytes(StandardCharsets.UTF_8), bytes));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/" + store.id()))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/json").header("X-Shopify-Hmac-Sha256", hmac)
                .header("X-Shopify-Topic", topic).header("X-Shopify-Event-Id", eventId)
                .header("X-Shopify-Webhook-Id", "w-" + eventId).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private boolean feedHas(String type, String accountKey) throws Exception {
        for (JsonNode e : get("/feed?limit=1000").path("events")) {
            if (e.path("type").asText().equals(type) && e.path("accountKey").asText().equals(accountKey)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aForgedDeletionOfACustomerTheStoreStillHasIsRefusedAndARealOneIsApplied() throws Exception {
        port = SandboxApp.freePort();
        Map<String, String> settings = SandboxApp.settings(dir, port);
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            Simulator shop = app.bean("sandboxStores", SandboxStores.class).simulator("shopify-sandbox");
            StoreConfig store = app.bean("storeRegistry", StoreRegistry.class).get("shopify-sandbox").orElseThrow();
            shop.configure(json.createObjectNode().put("webhookUrl",
                    "http://127.0.0.1:" + port + "/webhooks/shopify/shopify-sandbox"));
            JsonNode created = shop.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                    .put("email", "still.here@example.org").put("first_name", "Still").put("last_name", "Here"));
            String id = created.path("id").asText();
            String key = "shopify:shopify-sandbox:customer:" + id;
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> feedHas("identity.created", key));

            // The replay of the issue: the customer's signed update body re-sent as a deletion.
            String update = "{\"id\":" + id + ",\"email\":\"still.here@example.org\",\"first_name\":\"Still\","
                    + "\"last_name\":\"Here\",\"state\":\"enabled\",\"updated_at\":\"2026-12-02T11:59:00Z\"}";
            assertThat(deliver(store, "customers/delete", "forged-1", update).statusCode()).isEqualTo(400);
            // A signed body of the deletion's shape naming a customer the store still has (any captured body
            // carrying just this id would do): it verifies, so only the store can say it is false.
            String deletionShaped = "{\"id\":" + id + ",\"phone\":null,\"addresses\":[],\"tax_exemptions\":[],"
                    + "\"admin_graphql_api_id\":\"gid://shopify/Customer/" + id + "\"}";
            assertThat(deliver(store, "customers/delete", "forged-2", deletionShaped).statusCode()).isEqualTo(200);

            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> get("/webhook-inbox").path("counts").path("refused").asLong() == 1);
            JsonNode refused = get("/webhook-inbox").path("recent").get(0);
            assertThat(refused.path("status").asText()).isEqualTo("refused");
            assertThat(refused.path("topic").asText()).isEqualTo("customers/delete");
            assertThat(refused.path("error").asText()).contains("the store still has customer " + id);
            assertThat(feedHas("account.deleted", key)).isFalse();
            assertThat(get("/identities?email=still.here@example.org").path("identities")).hasSize(1);

            // A real deletion: the store no longer has the customer when its customers/delete arrives.
            assertThat(shop.records().delete(RecordControl.CUSTOMER, id)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> feedHas("account.deleted", key));
            assertThat(get("/webhook-inbox").path("counts").path("refused").asLong()).isEqualTo(1);
        }
    }
}
