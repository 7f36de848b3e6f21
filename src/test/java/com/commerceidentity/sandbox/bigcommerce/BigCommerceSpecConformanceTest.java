package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.platform.SharedSpecs;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validates simulator responses against the response schemas of the official OpenAPI documents
 * (customers.v3.yml, webhooks.v3.yml, callback schemas), resolving $refs inside each document.
 */
class BigCommerceSpecConformanceTest {

    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            builder -> builder.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));

    static BigCommerceSimulator sim;
    static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver();
        sim = new BigCommerceSimulator(SandboxSettings.defaults().with("bigcommerce.customers", "60"));
        sim.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        receiver.close();
    }

    static JsonSchema schema(String file, String pointer) {
        // A classpath IRI, so that $refs inside the document resolve against the same copy.
        return FACTORY.getSchema(SchemaLocation.of("classpath:" + SharedSpecs.ROOT + "bigcommerce/" + file + "#" + pointer));
    }

    static String responseSchema(String path, String method, int status) {
        return "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method + "/responses/" + status + "/content/application~1json/schema";
    }

    static void assertConforms(JsonSchema schema, String body) {
        Set<ValidationMessage> errors = schema.validate(Json.parse(body));
        assertThat(errors).as(body.length() > 400 ? body.substring(0, 400) : body).isEmpty();
    }

    static HttpResponse<String> api(String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sim.apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        return Http.send(builder, "X-Auth-Token", sim.accessToken());
    }

    @Test
    void validatorRejectsADocumentThatBreaksTheSchema() {
        JsonSchema schema = schema("customers.v3.yml", "/components/responses/GetCustomerCollectionResponse/content/application~1json/schema");
        assertThat(schema.validate(Json.parse("{\"data\":[{\"id\":\"7\",\"email\":\"x\"}],\"meta\":{\"pagination\":{\"total\":\"1\"}}}"))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void emptyHookListBreaksTheUpstreamMinItemsAsDocumented() {
        BigCommerceSimulator empty = new BigCommerceSimulator(SandboxSettings.defaults().with("bigcommerce.customers", "1"));
        empty.start();
        try {
            String body = Http.get(empty.apiUrl() + "/hooks", "X-Auth-Token", empty.accessToken()).body();
            assertThat(Json.parse(body).path("data")).isEmpty();
            assertThat(schema("webhooks.v3.yml", "/components/responses/webhooks_Resp/content/application~1json/schema")
                    .validate(Json.parse(body))).singleElement().asString().contains("data");
        } finally {
            empty.close();
        }
    }

    @Test
    void customerListPagesConformToGetCustomerCollectionResponse() {
        JsonSchema schema = schema("customers.v3.yml", "/components/responses/GetCustomerCollectionResponse/content/application~1json/schema");
        HttpResponse<String> first = api("GET", "/customers?limit=25&sort=date_modified:asc", null);
        assertConforms(schema, first.body());
        assertConforms(schema, api("GET", "/customers?limit=25&page=3", null).body());
        String after = Json.parse(first.body()).at("/meta/cursor_pagination/end_cursor").asText();
        assertConforms(schema, api("GET", "/customers?limit=25&sort=date_modified:asc&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8), null).body());
        assertConforms(schema, api("GET", "/customers?id:in=999999", null).body());
    }

    @Test
    void customerErrorsConformToTheirSchemas() {
        HttpResponse<String> badFilter = api("GET", "/customers?sort=nope", null);
        assertThat(badFilter.statusCode()).isEqualTo(422);
        assertConforms(schema("customers.v3.yml", responseSchema("/customers", "get", 422)), badFilter.body());
        HttpResponse<String> badCreate = api("POST", "/customers", "[{\"email\":\"x@example.com\"}]");
        assertThat(badCreate.statusCode()).isEqualTo(422);
        assertConforms(schema("customers.v3.yml", responseSchema("/customers", "post", 422)), badCreate.body());
        HttpResponse<String> badUpdate = api("PUT", "/customers", "[{\"notes\":\"no id\"}]");
        assertThat(badUpdate.statusCode()).isEqualTo(422);
        assertConforms(schema("customers.v3.yml", responseSchema("/customers", "put", 422)), badUpdate.body());
        HttpResponse<String> badDelete = api("DELETE", "/customers?id:in=x", null);
        assertThat(badDelete.statusCode()).isEqualTo(422);
        assertConforms(schema("customers.v3.yml", responseSchema("/customers", "delete", 422)), badDelete.body());
    }

    @Test
    void createdAndUpdatedCustomersConformToCustomerCollectionResponse() {
        JsonSchema schema = schema("customers.v3.yml", "/components/responses/CustomerCollectionResponse/content/application~1json/schema");
        HttpResponse<String> created = api("POST", "/customers", "[{\"email\":\"spec@example.com\",\"first_name\":\"Spec\",\"last_name\":\"Check\"}]");
        assertThat(created.statusCode()).isEqualTo(200);
        assertConforms(schema, created.body());
        HttpResponse<String> updated = api("PUT", "/customers", "[{\"id\":1,\"company\":\"Spec Corp\"}]");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertConforms(schema, updated.body());
    }

    @Test
    void hookResponsesConformToWebhooksSpec() {
        HttpResponse<String> created = api("POST", "/hooks", "{\"scope\":\"store/customer/*\",\"destination\":\"" + receiver.url("/spec")
                + "\",\"is_active\":true,\"headers\":{\"X-Token\":\"abc\"}}");
        assertConforms(schema("webhooks.v3.yml", responseSchema("/hooks", "post", 200)), created.body());
        int id = Json.parse(created.body()).at("/data/id").asInt();
        assertConforms(schema("webhooks.v3.yml", "/components/responses/webhooks_Resp/content/application~1json/schema"),
                api("GET", "/hooks", null).body());
        JsonSchema single = schema("webhooks.v3.yml", "/components/responses/webhook_Resp/content/application~1json/schema");
        assertConforms(single, api("GET", "/hooks/" + id, null).body());
        assertConforms(single, api("PUT", "/hooks/" + id, "{\"destination\":\"" + receiver.url("/spec2") + "\"}").body());
        assertConforms(schema("webhooks.v3.yml", "/components/responses/404_NotFound/content/application~1json/schema"),
                api("GET", "/hooks/1", null).body());
        assertConforms(schema("webhooks.v3.yml", "/components/responses/422_UnprocessableEntity/content/application~1json/schema"),
                api("POST", "/hooks", "{}").body());
        assertConforms(schema("webhooks.v3.yml", "/components/responses/401_Unauthorized/content/application~1json/schema"),
                Http.get(sim.apiUrl() + "/hooks").body());
        assertConforms(single, api("DELETE", "/hooks/" + id, null).body());
    }

    @Test
    void deliveredCallbacksConformToTheCallbackSchemas() throws Exception {
        api("POST", "/hooks", "{\"scope\":\"store/customer/*\",\"destination\":\"" + receiver.url("/callbacks") + "\"}");
        Http.post(sim.controlUrl() + "/records", "{\"email\":\"cb@example.com\",\"first_name\":\"C\",\"last_name\":\"B\"}");
        Http.post(sim.controlUrl() + "/records/2/touch", "");
        Http.delete(sim.controlUrl() + "/records/3");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        int checked = 0;
        for (WebhookReceiver.Received hook : receiver.received()) {
            if (!hook.path().equals("/callbacks")) {
                continue;
            }
            String scope = Json.parse(hook.body()).path("scope").asText();
            String file = "webhook-callbacks/" + scope.replace('/', '_') + ".schema.yml";
            assertConforms(schema(file, "/properties/" + scope.replace("~", "~0").replace("/", "~1")), hook.bodyText());
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }
}
