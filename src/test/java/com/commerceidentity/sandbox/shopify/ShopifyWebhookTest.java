package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.platform.SharedSpecs;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShopifyWebhookTest {

    WebhookReceiver receiver;
    ShopifySimulator sim;

    @BeforeEach
    void start() {
        receiver = new WebhookReceiver();
        sim = new ShopifySimulator(SandboxSettings.defaults().with("shopify.customers", "5")
                .with("shopify.webhookUrl", receiver.url("/shopify")));
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
        receiver.close();
    }

    @Test
    void officialHmacVectorsReproduce() throws Exception {
        JsonNode vectors = SharedSpecs.json("shopify/webhook-hmac-vectors.json");
        int checked = 0;
        for (JsonNode v : vectors.path("vectors")) {
            byte[] body = v.path("raw_body").asText().getBytes(StandardCharsets.UTF_8);
            String signature = ShopifyWebhooks.sign(v.path("secret").asText(), body);
            if (v.has("expected_hmac_base64")) {
                assertThat(signature).as(v.path("name").asText()).isEqualTo(v.path("expected_hmac_base64").asText());
            } else {
                assertThat(signature).isNotEqualTo(v.path("header_value_sent").asText());
                assertThat(signature).isEqualTo(v.path("correct_hmac_for_this_body").asText());
            }
            checked++;
        }
        assertThat(checked).isEqualTo(4);
    }

    @Test
    void createdCustomerIsDeliveredSignedWithAllShopifyHeaders() throws Exception {
        JsonNode created = Json.parse(Http.post(sim.controlUrl() + "/records",
                "{\"first_name\":\"Maria\",\"last_name\":\"Lopez\",\"email\":\"Maria.Lopez@Example.com\",\"phone\":\"(415) 555 0199\"}").body());
        WebhookReceiver.Received hook = awaitOne();
        assertThat(hook.path()).isEqualTo("/shopify");
        assertThat(hook.header("X-Shopify-Topic")).isEqualTo("customers/create");
        assertThat(hook.header("X-Shopify-Hmac-Sha256")).isEqualTo(ShopifyWebhooks.sign(sim.appSecret(), hook.body()));
        assertThat(hook.header("X-Shopify-Shop-Domain")).isEqualTo("sandbox-shop.myshopify.com");
        assertThat(hook.header("X-Shopify-API-Version")).isEqualTo("2025-07");
        assertThat(hook.header("X-Shopify-Webhook-Id")).isNotBlank();
        assertThat(hook.header("X-Shopify-Event-Id")).isNotBlank();
        assertThat(hook.header("X-Shopify-Triggered-At")).isNotBlank();
        assertThat(hook.bodyText()).contains("\"id\":" + created.get("id").asText() + ",");
        JsonNode payload = Json.parse(hook.body());
        assertThat(payload.path("email").asText()).isEqualTo("Maria.Lopez@Example.com");
        assertThat(payload.path("phone").asText()).isEqualTo("+14155550199");
        assertThat(payload.has("tags")).isFalse();
    }

    @Test
    void disablingACustomerSendsUpdateThenDisable() throws Exception {
        String id = firstId();
        Http.put(sim.controlUrl() + "/records/" + id, "{\"state\":\"enabled\"}");
        Http.put(sim.controlUrl() + "/records/" + id, "{\"state\":\"disabled\"}");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        List<String> topics = receiver.received().stream().map(r -> r.header("X-Shopify-Topic")).toList();
        assertThat(topics).endsWith("customers/update", "customers/disable");
    }

    @Test
    void deleteSendsAnIdOnlyPayload() throws Exception {
        String id = firstId();
        assertThat(Http.delete(sim.controlUrl() + "/records/" + id).statusCode()).isEqualTo(204);
        WebhookReceiver.Received hook = awaitOne();
        assertThat(hook.header("X-Shopify-Topic")).isEqualTo("customers/delete");
        assertThat(hook.bodyText()).startsWith("{\"id\":" + id + ",");
        assertThat(Json.parse(hook.body()).has("email")).isFalse();
    }

    @Test
    void redactPayloadHasTheGdprShape() throws Exception {
        String id = firstId();
        assertThat(Http.post(sim.controlUrl() + "/webhooks/trigger", "{\"topic\":\"customers/redact\",\"id\":\"" + id + "\"}").statusCode()).isEqualTo(202);
        JsonNode payload = Json.parse(awaitOne().body());
        assertThat(payload.fieldNames()).toIterable().containsExactly("shop_id", "shop_domain", "customer", "orders_to_redact");
        assertThat(payload.path("customer").fieldNames()).toIterable().containsExactly("id", "email", "phone");
        assertThat(payload.path("customer").path("id").asText()).isEqualTo(id);
        assertThat(payload.path("orders_to_redact").isArray()).isTrue();
    }

    @Test
    void duplicateDeliveryKeepsTheEventIdAndChangesTheWebhookId() throws Exception {
        Http.post(sim.controlUrl() + "/webhooks/knobs", "{\"duplicateNext\":1}");
        Http.post(sim.controlUrl() + "/records/" + firstId() + "/touch", "");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).hasSize(2);
        assertThat(received.get(0).header("X-Shopify-Event-Id")).isEqualTo(received.get(1).header("X-Shopify-Event-Id"));
        assertThat(received.get(0).header("X-Shopify-Webhook-Id")).isNotEqualTo(received.get(1).header("X-Shopify-Webhook-Id"));
        assertThat(received.get(0).bodyText()).isEqualTo(received.get(1).bodyText());
    }

    @Test
    void outOfOrderKnobDeliversAnOlderUpdateAfterANewerOne() throws Exception {
        String id = firstId();
        sim.webhooks().outOfOrderNext(1);
        Http.put(sim.controlUrl() + "/records/" + id, "{\"note\":\"first\"}");
        Http.put(sim.controlUrl() + "/records/" + id, "{\"note\":\"second\"}");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        List<String> notes = receiver.received().stream().map(r -> Json.parse(r.body()).path("note").asText()).toList();
        assertThat(notes).containsExactly("second", "first");
    }

    @Test
    void unknownTopicIsRejectedByTheControlApi() {
        assertThat(Http.post(sim.controlUrl() + "/webhooks/trigger", "{\"topic\":\"orders/create\",\"id\":\"" + firstId() + "\"}").statusCode()).isEqualTo(400);
    }

    private String firstId() {
        return Json.parse(Http.get(sim.controlUrl() + "/records").body()).get(0).get("id").asText();
    }

    private WebhookReceiver.Received awaitOne() throws InterruptedException {
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(receiver.received()).hasSize(1);
        return receiver.received().get(0);
    }
}
