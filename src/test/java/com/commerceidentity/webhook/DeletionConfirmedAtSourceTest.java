package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.platform.WebhookTopics;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shopify and WooCommerce sign the body, not the topic: a signed body re-sent as a deletion must not delete an
 * account the store still has. Deletions are applied once the store (here the sandbox simulator) no longer lists
 * the account; a forged one is kept in the inbox as {@code refused}, with the reason. Medusa's event name is in the
 * signed body, but its event id is not, and a deletion is still the one event whose forgery loses data.
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

    private HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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

    /** The event types the feed holds for one account, oldest first. */
    private List<String> feedTypes(String accountKey) throws Exception {
        List<String> types = new ArrayList<>();
        for (JsonNode e : get("/feed?limit=1000").path("events")) {
            if (e.path("accountKey").asText().equals(accountKey)) {
                types.add(e.path("type").asText());
            }
        }
        return types;
    }

    private long refusedCount() throws Exception {
        return get("/webhook-inbox").path("counts").path("refused").asLong();
    }

    /** The refused rows' errors (GET /webhook-inbox lists failed, dead and refused rows, newest first). */
    private List<String> refusedErrors() throws Exception {
        List<String> errors = new ArrayList<>();
        for (JsonNode row : get("/webhook-inbox").path("recent")) {
            if (row.path("status").asText().equals("refused")) {
                errors.add(row.path("topic").asText() + ": " + row.path("error").asText());
            }
        }
        return errors;
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

    /**
     * The replay on WooCommerce: the signed body of a customer.created (the customer as GET shows it, its
     * {@code id} the user's) re-sent with {@code X-WC-Webhook-Topic: customer.deleted}. The signature does not cover
     * the topic header, so only the site can say the customer is still there.
     */
    @Test
    void aWooCommerceCustomerBodyReplayedAsCustomerDeletedIsRefusedAndARealDeletionIsApplied() throws Exception {
        port = SandboxApp.freePort();
        String secret = "woo-confirm-secret";
        Map<String, String> settings = SandboxApp.settings(dir, port);
        // The site's own webhooks (created, updated, deleted) deliver here; stock WordPress refuses loopback URLs.
        settings.put("sandbox.woocommerce.webhookUrl", "http://127.0.0.1:" + port + "/webhooks/woocommerce/woocommerce-sandbox");
        settings.put("sandbox.woocommerce.safeRemoteRequests", "false");
        settings.put("sandbox.woocommerce.webhookSecret", secret);
        settings.put("stores.woocommerce-sandbox.webhook-secret", secret);
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            Simulator site = app.bean("sandboxStores", SandboxStores.class).simulator("woocommerce-sandbox");
            JsonNode created = site.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                    .put("email", "kept.customer@shop.io").put("first_name", "Kept").put("last_name", "Customer"));
            String id = created.path("id").asText();
            String key = "woocommerce:woocommerce-sandbox:customer:" + id;
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> feedTypes(key).contains("identity.created"));

            byte[] replayed = json.writeValueAsBytes(site.records().get(RecordControl.CUSTOMER, id).orElseThrow());
            String signature = Base64.getEncoder().encodeToString(
                    Signatures.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), replayed));
            HttpResponse<String> accepted = post("/webhooks/woocommerce/woocommerce-sandbox", replayed, Map.of(
                    "X-WC-Webhook-Signature", signature, "X-WC-Webhook-Topic", "customer.deleted",
                    "X-WC-Webhook-ID", "3"));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);

            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> refusedCount() > 0 || feedTypes(key).contains("account.deleted"));
            assertThat(feedTypes(key)).as("the replay must not delete a customer the site still has")
                    .doesNotContain("account.deleted");
            assertThat(refusedErrors()).containsExactly("customer.deleted: refused: the store still has customer " + id
                    + ", so this customer.deleted is not applied (a deletion the store did not make)");
            assertThat(get("/identities?email=kept.customer@shop.io").path("identities")).hasSize(1);

            // A real deletion: wp_delete_user, then the site's own customer.deleted ({"id":…}).
            assertThat(site.records().delete(RecordControl.CUSTOMER, id)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> feedTypes(key).contains("account.deleted"));
            assertThat(refusedCount()).isEqualTo(1);
        }
    }

    /**
     * Medusa: a signed {@code customer.deleted} and {@code user.deleted} naming a customer and a user the store still
     * has are refused; the store's own events after real (soft) deletions are applied. Invites are not confirmed
     * (routes/platforms/medusa.yaml says why).
     */
    @Test
    void aMedusaDeletionOfACustomerOrUserTheStoreStillHasIsRefusedAndRealOnesAreApplied() throws Exception {
        port = SandboxApp.freePort();
        Map<String, String> settings = SandboxApp.settings(dir, port);
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            Simulator medusa = app.bean("sandboxStores", SandboxStores.class).simulator("medusa-sandbox");
            StoreConfig store = app.bean("storeRegistry", StoreRegistry.class).get("medusa-sandbox").orElseThrow();
            medusa.configure(json.createObjectNode().put("webhookUrl",
                    "http://127.0.0.1:" + port + "/webhooks/medusa/medusa-sandbox"));
            String customer = medusa.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                    .put("email", "kept.buyer@shop.io").put("first_name", "Kept").put("last_name", "Buyer"))
                    .path("id").asText();
            String user = medusa.records().create(RecordControl.STAFF, json.createObjectNode()
                    .put("email", "kept.admin@shop.io").put("first_name", "Kept").put("last_name", "Admin"))
                    .path("id").asText();
            String customerKey = "medusa:medusa-sandbox:customer:" + customer;
            String userKey = "medusa:medusa-sandbox:staff:" + user;
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !feedTypes(customerKey).isEmpty()
                    && !feedTypes(userKey).isEmpty());

            for (String[] forged : new String[][]{{"customer.deleted", customer}, {"user.deleted", user}}) {
                byte[] body = json.writeValueAsBytes(json.createObjectNode().put("event", forged[0])
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set("data", json.createArrayNode()
                                .add(json.createObjectNode().put("id", forged[1])))
                        .put("occurred_at", "2026-12-02T12:00:00.000Z"));
                String signature = "sha256=" + HexFormat.of().formatHex(
                        Signatures.hmacSha256(store.webhookSecret().getBytes(StandardCharsets.UTF_8), body));
                HttpResponse<String> accepted = post("/webhooks/medusa/medusa-sandbox", body, Map.of(
                        "x-medusa-signature", signature, "x-medusa-event-id", "evt_forged_" + forged[0]));
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> refusedCount() >= 2
                    || feedTypes(customerKey).contains("account.deleted") || feedTypes(userKey).contains("account.deleted"));
            assertThat(feedTypes(customerKey)).as("a customer the store still has").doesNotContain("account.deleted");
            assertThat(feedTypes(userKey)).as("a user the store still has").doesNotContain("account.deleted");
            assertThat(refusedErrors()).containsExactlyInAnyOrder(
                    "customer.deleted: refused: the store still has customer " + customer
                            + ", so this customer.deleted is not applied (a deletion the store did not make)",
                    "user.deleted: refused: the store still has staff " + user
                            + ", so this user.deleted is not applied (a deletion the store did not make)");

            // Real deletions: Medusa soft-deletes, lists stop showing the rows, and its own events follow.
            assertThat(medusa.records().delete(RecordControl.CUSTOMER, customer)).isTrue();
            assertThat(medusa.records().delete(RecordControl.STAFF, user)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> feedTypes(customerKey).contains("account.deleted")
                    && feedTypes(userKey).contains("account.deleted"));
            assertThat(refusedCount()).isEqualTo(2);

            // An accepted or deleted invite is applied as received: the users look-up could never list an invite.
            WebhookTopics topics = app.bean("medusaWebhookTopics", WebhookTopics.class);
            JsonNode invite = json.readTree("{\"data\":[{\"id\":\"invite_01\"}]}");
            assertThat(topics.classify("invite.accepted", invite).action()).isEqualTo(WebhookTopics.Action.DELETE);
            assertThat(topics.classify("invite.deleted", invite).action()).isEqualTo(WebhookTopics.Action.DELETE);
        }
    }

    /**
     * Magento: Adobe signs the whole body, event name included, so the risk is not a forged topic but a deletion
     * event for a customer the store still has (a deletion rolled back, an event replayed after a restore). It is
     * refused; the event after a real deletion is applied. The look-up is {@code /V1/customers/search} by
     * {@code entity_id in (...)}.
     */
    @Test
    void aMagentoDeletionOfACustomerTheStoreStillHasIsRefusedAndARealOneIsApplied() throws Exception {
        port = SandboxApp.freePort();
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair adobe = generator.generateKeyPair();
        Map<String, String> settings = SandboxApp.settings(dir, port);
        settings.put("stores.magento-sandbox.webhook-public-key", "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getEncoder().encodeToString(adobe.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----");
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            Simulator magento = app.bean("sandboxStores", SandboxStores.class).simulator("magento-sandbox");
            JsonNode customer = magento.records().create(RecordControl.CUSTOMER, json.createObjectNode()
                    .put("email", "kept.shopper@shop.io").put("firstname", "Kept").put("lastname", "Shopper"));
            String id = customer.path("id").asText();
            String key = "magento:magento-sandbox:customer:" + id;
            java.util.function.Function<String, byte[]> event = name -> {
                com.fasterxml.jackson.databind.node.ObjectNode body = json.createObjectNode().put("eventName", name);
                body.putObject("data").set(name.contains("save") ? "customer_data_object" : "data_object", customer);
                try {
                    return json.writeValueAsBytes(body);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            };
            java.util.function.Function<byte[], String> sign = body -> {
                try {
                    java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
                    rsa.initSign(adobe.getPrivate());
                    rsa.update(Base64.getEncoder().encode(body));
                    return Base64.getEncoder().encodeToString(rsa.sign());
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            };
            byte[] saved = event.apply("observer.customer_save_after_data_object");
            assertThat(post("/webhooks/magento/magento-sandbox", saved,
                    Map.of("x-adobe-commerce-webhook-signature", sign.apply(saved))).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> feedTypes(key).contains("identity.created"));

            byte[] deleted = event.apply("observer.customer_delete_commit_after");
            assertThat(post("/webhooks/magento/magento-sandbox", deleted,
                    Map.of("x-adobe-commerce-webhook-signature", sign.apply(deleted))).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> refusedCount() > 0 || feedTypes(key).contains("account.deleted"));
            assertThat(feedTypes(key)).as("a customer the store still lists").doesNotContain("account.deleted");
            assertThat(refusedErrors()).containsExactly("observer.customer_delete_commit_after: refused: the store"
                    + " still has customer " + id + ", so this observer.customer_delete_commit_after is not applied"
                    + " (a deletion the store did not make)");

            // The same event once the store has deleted the customer (a new delivery: Adobe sends no event id, so
            // a byte-identical body would be a duplicate of the refused one).
            assertThat(magento.records().delete(RecordControl.CUSTOMER, id)).isTrue();
            byte[] real = json.writeValueAsBytes(((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(deleted))
                    .put("occurred_at", "2026-12-03T12:00:00Z"));
            assertThat(post("/webhooks/magento/magento-sandbox", real,
                    Map.of("x-adobe-commerce-webhook-signature", sign.apply(real))).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> feedTypes(key).contains("account.deleted"));
            assertThat(refusedCount()).isEqualTo(1);
        }
    }

    /**
     * WooCommerce lists at most 100 users a request (per_page above 100 is a 400): a burst of 120 deletions is
     * confirmed in two requests, and every one is applied.
     */
    @Test
    void aBurstOfWooCommerceDeletionsIsConfirmedAtMostAHundredIdsARequest() throws Exception {
        port = SandboxApp.freePort();
        String secret = "woo-burst-secret";
        Map<String, String> settings = SandboxApp.settings(dir, port);
        settings.put("stores.woocommerce-sandbox.webhook-secret", secret);
        int burst = 120;
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            Simulator site = app.bean("sandboxStores", SandboxStores.class).simulator("woocommerce-sandbox");
            // Customers the site never had (ids far above its own): each deletion is confirmed as gone.
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                int id = 50_001 + i;
                keys.add("woocommerce:woocommerce-sandbox:customer:" + id);
                byte[] created = ("{\"id\":" + id + ",\"email\":\"burst" + i + "@shop.io\",\"first_name\":\"Burst\","
                        + "\"last_name\":\"No" + i + "\",\"role\":\"customer\",\"date_created_gmt\":\"2026-01-02T03:04:05\","
                        + "\"date_modified_gmt\":\"2026-01-02T03:04:05\",\"billing\":{\"phone\":\"\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                assertThat(wooDelivery(secret, "customer.created", created).statusCode()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> accountKeysInFeed().containsAll(keys));

            // Held back until the whole burst is stored, so one batch plans all of it.
            app.context().getRouteController().stopRoute("webhook-process");
            for (int i = 0; i < burst; i++) {
                byte[] deleted = ("{\"id\":" + (50_001 + i) + "}").getBytes(StandardCharsets.UTF_8);
                assertThat(wooDelivery(secret, "customer.deleted", deleted).statusCode()).isEqualTo(200);
            }
            site.counters().reset();
            app.context().getRouteController().startRoute("webhook-process");

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> deletedInFeed().containsAll(keys)
                    || get("/webhook-inbox").path("counts").path("failed").asLong() > 0);
            assertThat(get("/webhook-inbox").path("recent").findValuesAsText("error")).as("failed work").isEmpty();
            assertThat(deletedInFeed()).containsAll(keys);
            assertThat(site.counters().requests("GET /wp-json/wc/v3/customers")).as("120 ids, 100 a request")
                    .isEqualTo(2);
            assertThat(refusedCount()).isZero();
        }
    }

    private HttpResponse<String> wooDelivery(String secret, String topic, byte[] body) throws Exception {
        String signature = Base64.getEncoder().encodeToString(
                Signatures.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
        return post("/webhooks/woocommerce/woocommerce-sandbox", body, Map.of("X-WC-Webhook-Signature", signature,
                "X-WC-Webhook-Topic", topic, "X-WC-Webhook-ID", topic.equals("customer.deleted") ? "3" : "1"));
    }

    private java.util.Set<String> accountKeysInFeed() throws Exception {
        return feedKeys(null);
    }

    private java.util.Set<String> deletedInFeed() throws Exception {
        return feedKeys("account.deleted");
    }

    /** Account keys of the whole feed (every page), of events of {@code type} or of any type when null. */
    private java.util.Set<String> feedKeys(String type) throws Exception {
        java.util.Set<String> keys = new java.util.HashSet<>();
        long after = 0;
        while (true) {
            JsonNode page = get("/feed?limit=1000&after=" + after);
            for (JsonNode e : page.path("events")) {
                if (type == null || e.path("type").asText().equals(type)) {
                    keys.add(e.path("accountKey").asText());
                }
            }
            if (!page.path("hasMore").asBoolean()) {
                return keys;
            }
            after = page.path("next").asLong();
        }
    }
}
