package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** REST Admin {@code webhooks.json} as an app sees it, and deliveries that follow the subscriptions. */
class ShopifyWebhookSubscriptionsTest {

    WebhookReceiver receiver = new WebhookReceiver();
    ShopifySimulator sim;
    String api;

    void start(String bucketCapacity) {
        sim = new ShopifySimulator(SandboxSettings.defaults().with("shopify.customers", "3")
                .with("shopify.bucketCapacity", bucketCapacity).with("shopify.leakPerSecond", "0.01")
                .with("shopify.webhookUrl", receiver.url("/app-configuration")));
        sim.start();
        api = sim.adminUrl("2025-07");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        receiver.close();
    }

    HttpResponse<String> subscribe(String topic, String address) {
        return Http.post(api + "/webhooks.json", "{\"webhook\":{\"topic\":\"" + topic + "\",\"address\":\"" + address
                + "\",\"format\":\"json\"}}", "X-Shopify-Access-Token", sim.accessToken());
    }

    JsonNode list(String query) {
        HttpResponse<String> response = Http.get(api + "/webhooks.json" + query, "X-Shopify-Access-Token", sim.accessToken());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body()).path("webhooks");
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aNewSubscriptionIsAnswered201InShopifysShapeAndListedUnderItsAddressAndTopic() {
        start("40");
        HttpResponse<String> created = subscribe("customers/create", receiver.url("/hooks/a"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode webhook = Json.parse(created.body()).path("webhook");
        assertThat(webhook.fieldNames()).toIterable().contains("id", "address", "topic", "created_at", "updated_at",
                "format", "fields", "metafield_namespaces", "api_version");
        assertThat(webhook.path("id").isIntegralNumber()).isTrue();
        assertThat(webhook.path("id").asLong()).as("ids beyond 32 bits, like Shopify's").isGreaterThan(Integer.MAX_VALUE);
        assertThat(webhook.path("address").asText()).isEqualTo(receiver.url("/hooks/a"));
        assertThat(webhook.path("topic").asText()).isEqualTo("customers/create");
        assertThat(webhook.path("format").asText()).isEqualTo("json");
        assertThat(webhook.path("fields")).isEmpty();
        assertThat(webhook.path("metafield_namespaces")).isEmpty();
        assertThat(webhook.path("api_version").asText()).isEqualTo("2025-07");
        assertThat(webhook.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[-+]\\d{2}:\\d{2}");
        subscribe("customers/update", receiver.url("/hooks/a"));
        subscribe("customers/update", receiver.url("/hooks/b"));

        assertThat(list("")).hasSize(3);
        assertThat(list("?address=" + enc(receiver.url("/hooks/a")))).extracting(w -> w.path("topic").asText())
                .containsExactly("customers/create", "customers/update");
        assertThat(list("?topic=" + enc("customers/update"))).extracting(w -> w.path("address").asText())
                .containsExactly(receiver.url("/hooks/a"), receiver.url("/hooks/b"));
        assertThat(list("?address=" + enc("https://elsewhere.example.com/hooks"))).isEmpty();
    }

    @Test
    void theSameTopicAndAddressTwiceIs422AlreadyTaken() {
        start("40");
        assertThat(subscribe("customers/update", receiver.url("/hooks")).statusCode()).isEqualTo(201);
        HttpResponse<String> again = subscribe("customers/update", receiver.url("/hooks"));
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(Json.parse(again.body())).isEqualTo(Json.parse("{\"errors\":{\"address\":[\"for this topic has already been taken\"]}}"));
        assertThat(list("")).hasSize(1);
    }

    @Test
    void anUnknownTopicIs422NamingTheTopicsAllowed() {
        start("40");
        HttpResponse<String> refused = subscribe("customers/explode", receiver.url("/hooks"));
        assertThat(refused.statusCode()).isEqualTo(422);
        String message = Json.parse(refused.body()).path("errors").path("topic").get(0).asText();
        assertThat(message).startsWith("Invalid topic specified: customers/explode.").contains("Topics allowed:", "customers/create");
        assertThat(list("")).isEmpty();
    }

    @Test
    void complianceTopicsCannotBeSubscribedThroughTheApi() {
        start("40");
        for (String topic : List.of("customers/redact", "customers/data_request", "shop/redact")) {
            HttpResponse<String> refused = subscribe(topic, receiver.url("/hooks"));
            assertThat(refused.statusCode()).as(topic).isEqualTo(422);
            String message = Json.parse(refused.body()).path("errors").path("topic").get(0).asText();
            assertThat(message).as(topic).startsWith("Invalid topic specified: " + topic + ".");
            assertThat(message.substring(message.indexOf("Topics allowed:"))).doesNotContain("redact", "data_request");
        }
        assertThat(list("")).isEmpty();
    }

    @Test
    void plainHttpIsRefusedForAddressesOffThisMachine() {
        start("40");
        HttpResponse<String> refused = subscribe("customers/create", "http://hooks.example.com/shopify");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(Json.parse(refused.body()).path("errors").path("address").get(0).asText())
                .isEqualTo("protocol http:// is not supported");
        assertThat(subscribe("customers/create", "https://hooks.example.com/shopify").statusCode()).isEqualTo(201);
    }

    @Test
    void deleteAnswers200EmptyAndTheSubscriptionIsGone() {
        start("40");
        long id = Json.parse(subscribe("customers/create", receiver.url("/hooks")).body()).path("webhook").path("id").asLong();
        HttpResponse<String> deleted = Http.delete(api + "/webhooks/" + id + ".json", "X-Shopify-Access-Token", sim.accessToken());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(Json.parse(deleted.body())).isEqualTo(Json.object());
        assertThat(list("")).isEmpty();
        assertThat(Http.delete(api + "/webhooks/" + id + ".json", "X-Shopify-Access-Token", sim.accessToken()).statusCode())
                .as("deleting it again").isEqualTo(404);
    }

    @Test
    void theWebhooksApiNeedsTheAccessTokenAndDrawsOnTheSameRestBucket() {
        start("3");
        assertThat(Http.get(api + "/webhooks.json").statusCode()).isEqualTo(401);
        assertThat(Http.post(api + "/webhooks.json", "{\"webhook\":{\"topic\":\"customers/create\",\"address\":\"https://a.example.com\"}}")
                .statusCode()).isEqualTo(401);
        assertThat(Http.get(api + "/customers.json", "X-Shopify-Access-Token", sim.accessToken())
                .headers().firstValue("X-Shopify-Shop-Api-Call-Limit")).hasValue("1/3");
        HttpResponse<String> created = subscribe("customers/create", "https://a.example.com/hooks");
        assertThat(created.headers().firstValue("X-Shopify-Shop-Api-Call-Limit")).hasValue("2/3");
        assertThat(Http.get(api + "/webhooks.json", "X-Shopify-Access-Token", sim.accessToken()).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = subscribe("customers/update", "https://a.example.com/hooks");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void anEventReachesEveryAddressSubscribedToItsTopicWithOneEventId() throws Exception {
        start("40");
        subscribe("customers/create", receiver.url("/first"));
        subscribe("customers/create", receiver.url("/second"));
        subscribe("customers/update", receiver.url("/updates-only"));

        Http.post(sim.controlUrl() + "/records", "{\"first_name\":\"Ada\",\"email\":\"ada.sub@example.org\"}");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();

        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).extracting(WebhookReceiver.Received::path).containsExactlyInAnyOrder("/first", "/second");
        assertThat(received).allSatisfy(r -> {
            assertThat(r.header("X-Shopify-Topic")).isEqualTo("customers/create");
            assertThat(r.header("X-Shopify-Hmac-Sha256")).isEqualTo(ShopifyWebhooks.sign(sim.appSecret(), r.body()));
            assertThat(r.header("X-Shopify-API-Version")).isEqualTo("2025-07");
        });
        assertThat(received.get(0).header("X-Shopify-Event-Id")).isEqualTo(received.get(1).header("X-Shopify-Event-Id"));
        assertThat(received.get(0).header("X-Shopify-Webhook-Id")).isNotEqualTo(received.get(1).header("X-Shopify-Webhook-Id"));
        assertThat(received.get(0).bodyText()).isEqualTo(received.get(1).bodyText());
    }

    @Test
    void complianceTopicsGoToTheAppConfigurationAndSoDoesEverythingOnceNoSubscriptionIsLeft() throws Exception {
        start("40");
        long id = Json.parse(subscribe("customers/update", receiver.url("/subscribed")).body()).path("webhook").path("id").asLong();
        String customer = Json.parse(Http.get(sim.controlUrl() + "/records").body()).get(0).path("id").asText();

        Http.post(sim.controlUrl() + "/records/" + customer + "/touch", "");
        Http.post(sim.controlUrl() + "/webhooks/trigger", "{\"topic\":\"customers/redact\",\"id\":\"" + customer + "\"}");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(receiver.received()).extracting(r -> r.path() + " " + r.header("X-Shopify-Topic"))
                .containsExactly("/subscribed customers/update", "/app-configuration customers/redact");

        Http.delete(api + "/webhooks/" + id + ".json", "X-Shopify-Access-Token", sim.accessToken());
        Http.post(sim.controlUrl() + "/records/" + customer + "/touch", "");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(receiver.received()).hasSize(3);
        assertThat(receiver.received().get(2).path()).isEqualTo("/app-configuration");
    }
}
