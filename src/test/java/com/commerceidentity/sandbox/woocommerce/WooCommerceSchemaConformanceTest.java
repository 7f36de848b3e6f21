package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validates customers served by the simulator (list pages, single GET, DELETE answer, webhook payloads) against
 * customer.v3.schema.json, the draft-04 transcription of WC_REST_Customers_Controller::get_item_schema(), loaded
 * from the test class path with format assertions on.
 */
class WooCommerceSchemaConformanceTest {

    static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(
            SchemaLocation.of("classpath:platform-specs/woocommerce/customer.v3.schema.json"),
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    static WooCommerceSimulator sim;
    static WebhookReceiver receiver;
    static String auth;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver();
        sim = new WooCommerceSimulator(SandboxSettings.defaults().with("woocommerce.customers", "150")
                .with("woocommerce.safeRemoteRequests", "false").with("woocommerce.webhookUrl", receiver.url("/spec")),
                new MutableClock(Instant.parse("2026-12-02T12:00:00Z")));
        sim.start();
        auth = "Basic " + Base64.getEncoder().encodeToString((sim.consumerKey() + ":" + sim.consumerSecret()).getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        sim.close();
        receiver.close();
    }

    /**
     * One allowance, for the schema rather than the simulator: billing.email carries format email, which WordPress
     * checks on input only; a customer without a billing address has {@code "email": ""} there (WC_Customer's
     * default), and the transcribed schema does not allow the empty string.
     */
    static void assertConforms(JsonNode customer) {
        Set<ValidationMessage> errors = new java.util.HashSet<>(SCHEMA.validate(customer));
        boolean emptyBillingEmail = customer.at("/billing/email").asText().isEmpty();
        errors.removeIf(e -> emptyBillingEmail && Set.of("/billing/email", "$.billing.email").contains(e.getInstanceLocation().toString())
                && "format".equals(e.getType()));
        assertThat(errors).as(customer.toString()).isEmpty();
    }

    @Test
    void validatorRejectsACustomerThatBreaksTheSchema() {
        ObjectNode broken = (ObjectNode) Specs.json("rest-examples.json").at("/customer_get/body").deepCopy();
        assertConforms(broken);
        broken.put("id", "25");
        broken.put("email", "not-an-email");
        broken.put("is_paying_customer", "no");
        broken.remove("role");
        assertThat(SCHEMA.validate(broken)).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void everyUserOnEveryListPageConforms() {
        int users = sim.store.all(u -> true).size();
        int checked = 0;
        boolean sawNullModified = false;
        for (int page = 1; page <= 5; page++) {
            JsonNode body = Json.parse(Http.get(sim.apiUrl() + "/customers?role=all&per_page=100&page=" + page, "Authorization", auth).body());
            for (JsonNode customer : body) {
                assertConforms(customer);
                sawNullModified |= customer.path("date_modified").isNull();
                checked++;
            }
            if (body.isEmpty()) {
                break;
            }
        }
        assertThat(checked).isEqualTo(users);
        assertThat(sawNullModified).isTrue();
    }

    @Test
    void singleGetAndDeleteAnswersConform() {
        assertConforms(Json.parse(Http.get(sim.apiUrl() + "/customers/1", "Authorization", auth).body()));
        int victim = sim.store.all(u -> u.roles.equals(java.util.List.of("customer"))).get(3).id;
        JsonNode deleted = Json.parse(Http.delete(sim.apiUrl() + "/customers/" + victim + "?force=true", "Authorization", auth).body());
        assertThat(deleted.path("id").asInt()).isEqualTo(victim);
        assertConforms(deleted);
    }

    @Test
    void webhookCustomerPayloadsConform() {
        JsonNode created = sim.records().create("customer", Json.parse("{\"email\":\"spec@example.com\",\"first_name\":\"Spec\"}"));
        sim.records().touch("staff", "1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> customerPayloads().size() >= 2);
        customerPayloads().forEach(hook -> assertConforms(Json.parse(hook.body())));
        assertConforms(created);
        assertConforms(Json.parse(Specs.json("webhook-signature-vectors.json").at("/vectors/0/raw_body").asText()));
    }

    /** customer.deleted carries only {"id": n}, which is not a customer object. */
    static java.util.List<WebhookReceiver.Received> customerPayloads() {
        return receiver.received().stream().filter(r -> !"customer.deleted".equals(r.header("X-WC-Webhook-Topic"))).toList();
    }
}
