package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.platform.SharedSpecs;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BigCommerceWebhookTest {

    WebhookReceiver receiver;
    BigCommerceSimulator sim;

    @BeforeEach
    void start() {
        receiver = new WebhookReceiver();
        sim = new BigCommerceSimulator(SandboxSettings.defaults().with("bigcommerce.customers", "5"));
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
        receiver.close();
    }

    HttpResponse<String> api(String method, String path, String body) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.apiUrl() + path))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        return Http.send(builder, "X-Auth-Token", sim.accessToken());
    }

    int createHook(String scope, boolean active) {
        HttpResponse<String> response = api("POST", "/hooks", "{\"scope\":\"" + scope + "\",\"destination\":\"" + receiver.url("/bc")
                + "\",\"is_active\":" + active + ",\"headers\":{\"X-Custom-Auth\":\"s3cr3t\"}}");
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.parse(response.body()).at("/data/id").asInt();
    }

    @Test
    void standardWebhooksVectorsReproduce() throws Exception {
        JsonNode vectors = SharedSpecs.json("bigcommerce/webhook-signature-vectors.json");
        JsonNode official = vectors.path("vectors").get(0);
        assertThat(Hmac.standardWebhooksSignature(Hmac.standardWebhooksKey(official.path("secret").asText()),
                official.path("webhook_id").asText(), official.path("webhook_timestamp").asLong(),
                official.path("raw_body").asText().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(official.path("expected_webhook_signature").asText());
        JsonNode bigcommerce = vectors.path("vectors").get(1);
        String clientSecret = bigcommerce.path("client_secret").asText();
        assertThat(BigCommerceWebhooks.standardWebhooksSecret(clientSecret))
                .isEqualTo("whsec_" + bigcommerce.path("secret_passed_to_standardwebhooks_library").asText());
        assertThat(BigCommerceWebhooks.signature(clientSecret, bigcommerce.path("webhook_id").asText(),
                bigcommerce.path("webhook_timestamp").asLong(), bigcommerce.path("raw_body").asText().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(bigcommerce.path("expected_webhook_signature").asText());
    }

    @Test
    void createdCustomerSendsAThinSignedPayloadWithCustomHeaders() throws Exception {
        createHook("store/customer/created", true);
        HttpResponse<String> created = api("POST", "/customers", "[{\"email\":\"hook@example.com\",\"first_name\":\"H\",\"last_name\":\"K\"}]");
        int id = Json.parse(created.body()).at("/data/0/id").asInt();
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        WebhookReceiver.Received hook = receiver.received().get(0);
        assertThat(receiver.received()).hasSize(1);
        assertThat(hook.header("X-Custom-Auth")).isEqualTo("s3cr3t");
        JsonNode payload = Json.parse(hook.body());
        assertThat(payload.fieldNames()).toIterable().containsExactlyInAnyOrder("scope", "store_id", "data", "hash", "created_at", "producer");
        assertThat(payload.path("scope").asText()).isEqualTo("store/customer/created");
        assertThat(payload.path("store_id").isTextual()).isTrue();
        assertThat(payload.at("/data/type").asText()).isEqualTo("customer");
        assertThat(payload.at("/data/id").asInt()).isEqualTo(id);
        assertThat(payload.path("producer").asText()).isEqualTo("stores/" + sim.storeHash());
        assertThat(payload.path("hash").asText()).isEqualTo(Hmac.sha1Hex(Json.bytes(payload.path("data"))));
        assertThat(payload.path("created_at").asLong()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        byte[] key = Hmac.standardWebhooksKey(Json.parse(Http.get(sim.controlUrl() + "/config").body()).path("standardWebhooksSecret").asText());
        assertThat(hook.header("webhook-signature")).isEqualTo(Hmac.standardWebhooksSignature(key, hook.header("webhook-id"),
                Long.parseLong(hook.header("webhook-timestamp")), hook.body()));
    }

    @Test
    void wildcardScopeReceivesEveryCustomerEventAndInactiveHooksNothing() throws Exception {
        createHook("store/customer/*", true);
        createHook("store/customer/updated", false);
        Http.post(sim.controlUrl() + "/records", "{\"email\":\"w@example.com\",\"first_name\":\"W\",\"last_name\":\"C\"}");
        Http.post(sim.controlUrl() + "/records/1/touch", "");
        Http.delete(sim.controlUrl() + "/records/2");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        List<String> scopes = receiver.received().stream().map(r -> Json.parse(r.body()).path("scope").asText()).toList();
        assertThat(scopes).containsExactly("store/customer/created", "store/customer/updated", "store/customer/deleted");
    }

    @Test
    void duplicateDeliveryRepeatsTheSameWebhookId() throws Exception {
        createHook("store/customer/updated", true);
        sim.webhooks().duplicateNext(1);
        api("PUT", "/customers", "[{\"id\":1,\"notes\":\"dup\"}]");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(receiver.received()).hasSize(2);
        assertThat(receiver.received().get(0).header("webhook-id")).isEqualTo(receiver.received().get(1).header("webhook-id"));
    }

    @Test
    void outOfOrderKnobSwapsTwoEvents() throws Exception {
        createHook("store/customer/*", true);
        sim.webhooks().outOfOrderNext(1);
        Http.post(sim.controlUrl() + "/records/1/touch", "");
        Http.delete(sim.controlUrl() + "/records/1");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        List<String> scopes = receiver.received().stream().map(r -> Json.parse(r.body()).path("scope").asText()).toList();
        assertThat(scopes).containsExactly("store/customer/deleted", "store/customer/updated");
    }

    @Test
    void hooksCanBeListedReadUpdatedAndDeleted() {
        int id = createHook("store/customer/created", true);
        JsonNode list = Json.parse(api("GET", "/hooks", null).body());
        assertThat(list.path("data")).hasSize(1);
        assertThat(list.at("/meta/pagination/total").asInt()).isEqualTo(1);
        JsonNode single = Json.parse(api("GET", "/hooks/" + id, null).body()).path("data");
        assertThat(single.path("client_id").asText()).isNotBlank();
        assertThat(single.path("store_hash").asText()).isEqualTo(sim.storeHash());
        assertThat(single.at("/headers/X-Custom-Auth").asText()).isEqualTo("s3cr3t");
        JsonNode updated = Json.parse(api("PUT", "/hooks/" + id, "{\"is_active\":false}").body()).path("data");
        assertThat(updated.path("is_active").asBoolean()).isFalse();
        assertThat(updated.path("scope").asText()).isEqualTo("store/customer/created");
        assertThat(Json.parse(api("GET", "/hooks?is_active=true", null).body()).path("data")).isEmpty();
        HttpResponse<String> deleted = api("DELETE", "/hooks/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(Json.parse(deleted.body()).at("/data/id").asInt()).isEqualTo(id);
        assertThat(api("GET", "/hooks/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void hookWithoutDestinationIs422() {
        HttpResponse<String> response = api("POST", "/hooks", "{\"scope\":\"store/customer/created\"}");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(Json.parse(response.body()).at("/errors/destination").asText()).isEqualTo("error.path.missing");
    }

    @Test
    void unknownHookIs404WithSpecTitle() {
        HttpResponse<String> response = api("GET", "/hooks/42", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.parse(response.body()).path("title").asText()).isEqualTo("Webhook with id [42] not found");
    }

    @Test
    void emptyHookUpdateIs422() {
        int id = createHook("store/customer/created", true);
        assertThat(api("PUT", "/hooks/" + id, "{}").statusCode()).isEqualTo(422);
    }
}
