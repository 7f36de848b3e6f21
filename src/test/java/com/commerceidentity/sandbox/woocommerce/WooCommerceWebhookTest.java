package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WooCommerceWebhookTest {

    static final String SECRET = "wc-example-webhook-secret-1";

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    final WebhookReceiver receiver = new WebhookReceiver();
    WooCommerceSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        receiver.close();
    }

    WooCommerceSimulator start(SandboxSettings settings) {
        sim = new WooCommerceSimulator(settings.with("woocommerce.customers", "20"), clock);
        sim.start();
        return sim;
    }

    /** What a test receiver on 127.0.0.1 needs: stock WordPress refuses loopback targets. */
    WooCommerceSimulator startLocalDelivery() {
        return start(SandboxSettings.defaults().with("woocommerce.safeRemoteRequests", "false"));
    }

    String auth() {
        return "Basic " + Base64.getEncoder().encodeToString((sim.consumerKey() + ":" + sim.consumerSecret()).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> createWebhook(String topic, String path) {
        return Http.post(sim.apiUrl() + "/webhooks", "{\"name\":\"Sync: " + topic + "\",\"topic\":\"" + topic
                + "\",\"delivery_url\":\"" + receiver.url(path) + "\",\"secret\":\"" + SECRET + "\",\"status\":\"paused\"}", "Authorization", auth());
    }

    List<WebhookReceiver.Received> deliveries(String path) {
        return receiver.received().stream().filter(r -> r.path().equals(path)).toList();
    }

    void awaitDeliveries(String path, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(path).size() >= count);
    }

    @Test
    void signatureVectorsReproduceAndTheBodyBytesAreWhatPhpWrites() throws Exception {
        JsonNode vectors = Specs.json("webhook-signature-vectors.json");
        for (JsonNode v : vectors.path("vectors")) {
            byte[] raw = v.path("raw_body").asText().getBytes(StandardCharsets.UTF_8);
            assertThat(Base64.getEncoder().encodeToString(raw)).isEqualTo(v.path("raw_body_base64").asText());
            assertThat(WooWebhooks.signature(v.path("secret").asText(), raw)).as(v.path("name").asText())
                    .isEqualTo(v.at("/expected_header/X-WC-Webhook-Signature").asText());
            assertThat(new String(PhpJson.webhookBody(Json.parse(raw)), StandardCharsets.UTF_8)).isEqualTo(v.path("raw_body").asText());
        }
        JsonNode negative = vectors.path("negative_checks").get(0);
        JsonNode first = vectors.path("vectors").get(0);
        byte[] reserialised = Json.bytes(Json.parse(first.path("raw_body").asText()));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(reserialised)))
                .isEqualTo(negative.path("reserialized_body_sha256_hex").asText());
        assertThat(WooWebhooks.signature(SECRET, reserialised)).isEqualTo(negative.path("signature_over_reserialized_body").asText())
                .isNotEqualTo(first.at("/expected_header/X-WC-Webhook-Signature").asText());
        assertThat(WooWebhooks.signature("a&amp;b", raw("x"))).isEqualTo(WooWebhooks.signature("a&b", raw("x")));
    }

    static byte[] raw(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createIgnoresStatusHidesTheSecretAndPingsBeforeAnswering() {
        startLocalDelivery();
        HttpResponse<String> created = createWebhook("customer.updated", "/hooks");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = Json.parse(created.body());
        Specs.json("rest-examples.json").at("/webhook_create_customer_topic/expected_body_fields").fields()
                .forEachRemaining(e -> {
                    if (!e.getKey().equals("delivery_url")) {
                        assertThat(body.path(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                    }
                });
        assertThat(body.has("secret")).isFalse();
        int id = body.path("id").asInt();
        assertThat(created.headers().firstValue("Location")).hasValue(sim.apiUrl() + "/webhooks/" + id);
        // the ping was answered before the 201 came back
        WebhookReceiver.Received ping = deliveries("/hooks").get(0);
        assertThat(ping.bodyText()).isEqualTo("webhook_id=" + id);
        assertThat(ping.header("X-WC-Webhook-Signature")).isNull();
        assertThat(ping.header("User-Agent")).startsWith("WooCommerce/").contains("Hookshot (WordPress/");
        assertThat(Json.parse(Http.get(sim.apiUrl() + "/webhooks/" + id, "Authorization", auth()).body()).path("topic").asText())
                .isEqualTo("customer.updated");
    }

    @Test
    void webhookApiErrorsFollowTheControllers() {
        startLocalDelivery();
        HttpResponse<String> missing = Http.post(sim.apiUrl() + "/webhooks", "{\"name\":\"x\"}", "Authorization", auth());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Json.parse(missing.body()).path("code").asText()).isEqualTo("rest_missing_callback_param");
        HttpResponse<String> badTopic = Http.post(sim.apiUrl() + "/webhooks", "{\"topic\":\"customer.restored\",\"delivery_url\":\""
                + receiver.url("/x") + "\"}", "Authorization", auth());
        assertThat(Json.parse(badTopic.body()).path("code").asText()).isEqualTo("woocommerce_rest_shop_webhook_invalid_topic");
        HttpResponse<String> unknown = Http.get(sim.apiUrl() + "/webhooks/999", "Authorization", auth());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.parse(unknown.body()).path("message").asText()).isEqualTo("ID is invalid.");
        int id = Json.parse(createWebhook("customer.created", "/x").body()).path("id").asInt();
        assertThat(Http.delete(sim.apiUrl() + "/webhooks/" + id, "Authorization", auth()).statusCode()).isEqualTo(501);
        assertThat(Http.delete(sim.apiUrl() + "/webhooks/" + id + "?force=true", "Authorization", auth()).statusCode()).isEqualTo(200);
        assertThat(Http.delete(sim.apiUrl() + "/webhooks/" + id + "?force=true", "Authorization", auth()).statusCode()).isEqualTo(404);
        assertThat(Http.get(sim.apiUrl() + "/webhooks").statusCode()).isEqualTo(401);
        HttpResponse<String> paused = Http.put(sim.apiUrl() + "/webhooks/" + Json.parse(createWebhook("customer.created", "/x").body()).path("id").asInt(),
                "{\"status\":\"paused\"}", "Authorization", auth());
        assertThat(Json.parse(paused.body()).path("status").asText()).isEqualTo("paused");
        HttpResponse<String> list = Http.get(sim.apiUrl() + "/webhooks?status=paused", "Authorization", auth());
        assertThat(list.headers().firstValue("X-WP-Total")).hasValue("1");
    }

    @Test
    void createdUpdatedAndDeletedCustomersSendSignedWebhooks() {
        startLocalDelivery();
        createWebhook("customer.created", "/created");
        createWebhook("customer.updated", "/updated");
        createWebhook("customer.deleted", "/deleted");
        JsonNode created = Http.post(sim.controlUrl() + "/records", "{\"email\":\"ana.souza@example.com\",\"first_name\":\"Ana\","
                + "\"last_name\":\"Souza\",\"billing\":{\"city\":\"S\u00e3o Paulo\"}}").body().transform(Json::parse);
        int id = created.path("id").asInt();
        clock.advance(Duration.ofMinutes(5));
        Http.put(sim.controlUrl() + "/records/" + id, "{\"last_name\":\"Souza Lima\"}");
        awaitDeliveries("/created", 2);
        awaitDeliveries("/updated", 2);
        Http.delete(sim.controlUrl() + "/records/" + id);
        awaitDeliveries("/deleted", 2);

        WebhookReceiver.Received createdHook = deliveries("/created").get(1);
        assertSigned(createdHook, "customer.created");
        JsonNode payload = Json.parse(createdHook.body());
        assertThat(payload.path("id").asInt()).isEqualTo(id);
        assertThat(createdHook.bodyText()).contains("S\\u00e3o Paulo").contains("https:\\/\\/secure.gravatar.com");

        WebhookReceiver.Received updatedHook = deliveries("/updated").get(1);
        assertSigned(updatedHook, "customer.updated");
        assertThat(Json.parse(updatedHook.body()).path("last_name").asText()).isEqualTo("Souza Lima");
        assertThat(Json.parse(updatedHook.body()).path("date_modified_gmt").asText()).isEqualTo("2026-12-02T12:05:00");

        WebhookReceiver.Received deletedHook = deliveries("/deleted").get(1);
        assertSigned(deletedHook, "customer.deleted");
        assertThat(deletedHook.bodyText()).isEqualTo("{\"id\":" + id + "}");
    }

    private void assertSigned(WebhookReceiver.Received hook, String topic) {
        assertThat(hook.header("X-WC-Webhook-Signature")).isEqualTo(WooWebhooks.signature(SECRET, hook.body()));
        assertThat(hook.header("X-WC-Webhook-Topic")).isEqualTo(topic);
        assertThat(hook.header("X-WC-Webhook-Resource")).isEqualTo("customer");
        assertThat(hook.header("X-WC-Webhook-Event")).isEqualTo(topic.substring("customer.".length()));
        assertThat(hook.header("X-WC-Webhook-Source")).isEqualTo(sim.baseUrl() + "/");
        assertThat(hook.header("X-WC-Webhook-ID")).matches("\\d+");
        assertThat(hook.header("X-WC-Webhook-Delivery-ID")).matches("[0-9a-f]{32}");
        assertThat(hook.header("Content-Type")).isEqualTo("application/json");
        assertThat(hook.header("User-Agent")).isEqualTo(WooWebhooks.USER_AGENT);
    }

    @Test
    void staffChangesFireCreatedAndUpdatedButNeverDeleted() {
        startLocalDelivery();
        createWebhook("customer.created", "/created");
        createWebhook("customer.deleted", "/deleted");
        int staff = Json.parse(Http.post(sim.controlUrl() + "/records?kind=staff", "{\"email\":\"ops@example.com\",\"first_name\":\"Ops\",\"role\":\"shop_manager\"}").body())
                .path("id").asInt();
        awaitDeliveries("/created", 2);
        assertThat(Json.parse(deliveries("/created").get(1).body()).path("role").asText()).isEqualTo("shop_manager");
        Http.delete(sim.controlUrl() + "/records/" + staff + "?kind=staff");
        int customer = sim.store.all(u -> u.roles.equals(List.of("customer"))).get(0).id;
        Http.delete(sim.controlUrl() + "/records/" + customer);
        awaitDeliveries("/deleted", 2);
        assertThat(deliveries("/deleted")).hasSize(2);
        assertThat(deliveries("/deleted").get(1).bodyText()).isEqualTo("{\"id\":" + customer + "}");
    }

    @Test
    void queuedDeliveriesCollapseAndRenderTheStateAtDeliveryTime() {
        start(SandboxSettings.defaults().with("woocommerce.safeRemoteRequests", "false").with("woocommerce.deliveryDelayMillis", "1000"));
        createWebhook("customer.updated", "/updated");
        int a = sim.store.all(u -> u.roles.equals(List.of("customer"))).get(0).id;
        int b = sim.store.all(u -> u.roles.equals(List.of("customer"))).get(1).id;
        sim.records().update("customer", String.valueOf(a), Json.parse("{\"first_name\":\"One\"}"));
        sim.records().update("customer", String.valueOf(a), Json.parse("{\"first_name\":\"Two\"}"));
        sim.records().update("customer", String.valueOf(b), Json.parse("{\"first_name\":\"Gone\"}"));
        sim.records().delete("customer", String.valueOf(b));
        awaitDeliveries("/updated", 3);
        List<WebhookReceiver.Received> updates = deliveries("/updated");
        assertThat(updates).hasSize(3);
        assertThat(Json.parse(updates.get(1).body()).path("first_name").asText()).isEqualTo("Two");
        assertThat(Json.parse(updates.get(2).body())).isEqualTo(Specs.json("rest-examples.json").at("/errors/unknown_customer_id/body"));
    }

    @Test
    void stockSafeRequestsRefuseLoopbackAndTheSeventhFailureDisables() {
        start(SandboxSettings.defaults().with("woocommerce.webhookUrl", receiver.url("/configured")));
        List<Integer> customers = sim.store.all(u -> u.roles.equals(List.of("customer"))).stream().map(u -> u.id).limit(7).toList();
        customers.forEach(id -> sim.records().touch("customer", String.valueOf(id)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> webhookState("customer.updated").path("status").asText().equals("disabled"));
        assertThat(webhookState("customer.updated").path("failureCount").asInt()).isEqualTo(6);
        assertThat(receiver.received()).isEmpty();
        assertThat(sim.describe().get("webhook delivery")).contains("safeRemoteRequests");
    }

    private JsonNode webhookState(String topic) {
        for (JsonNode hook : Json.parse(Http.get(sim.controlUrl() + "/config").body()).path("webhooks")) {
            if (hook.path("topic").asText().equals(topic)) {
                return hook;
            }
        }
        throw new AssertionError("no webhook for " + topic);
    }

    @Test
    void configuredWebhookUrlGetsTheCustomerTopicsSignedWithTheConfiguredSecret() {
        start(SandboxSettings.defaults().with("woocommerce.webhookUrl", receiver.url("/configured"))
                .with("woocommerce.safeRemoteRequests", "false").with("woocommerce.webhookSecret", SECRET));
        sim.records().touch("customer", String.valueOf(sim.store.all(u -> u.hasRole("customer")).get(0).id));
        sim.records().triggerWebhook("customer.deleted", "424242");
        awaitDeliveries("/configured", 2);
        List<WebhookReceiver.Received> got = deliveries("/configured");
        assertThat(got).extracting(r -> r.header("X-WC-Webhook-Topic")).containsExactly("customer.updated", "customer.deleted");
        got.forEach(r -> assertThat(r.header("X-WC-Webhook-Signature")).isEqualTo(WooWebhooks.signature(SECRET, r.body())));
        assertThat(got.get(1).bodyText()).isEqualTo("{\"id\":424242}");
    }
}
