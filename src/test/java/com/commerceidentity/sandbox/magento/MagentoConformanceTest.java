package com.commerceidentity.sandbox.magento;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.platform.SharedSpecs;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every response the Magento simulator gives is checked against what the 2.4.8 admin swagger declares for it. */
class MagentoConformanceTest {
    private static final JsonNode SPEC = SharedSpecs.yaml("magento/admin-identity-subset-2.4.8.swagger.yaml");
    static MagentoSimulator sim;

    @BeforeAll
    static void start() {
        sim = new MagentoSimulator(SandboxSettings.defaults().with("seed", "3").with("magento.customers", "40"));
        sim.start();
    }

    /** A stock store's way in: the integration's OAuth 1.0a signature (fresh nonce per call). */
    static HttpResponse<String> signedGet(String url) {
        return Http.get(url, "Authorization", SignedCalls.authorization(SignedCalls.Keys.of(sim), "GET", url));
    }

    @Test
    void adminTokenAnswersConformBothUnder2faAndWithout() {
        String body = "{\"username\":\"admin\",\"password\":\"sandbox123\"}";
        HttpResponse<String> refused = Http.post(sim.baseUrl() + "/rest/V1/integration/admin/token", body);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertErrorConforms(refused, "/V1/integration/admin/token", "post");
        sim.configure(Json.parse("{\"twoFactorAuth\":false}"));
        try {
            HttpResponse<String> token = Http.post(sim.baseUrl() + "/rest/V1/integration/admin/token", body);
            assertThat(token.statusCode()).isEqualTo(200);
            assertConforms(token, "/V1/integration/admin/token", "post");
        } finally {
            sim.configure(Json.parse("{\"twoFactorAuth\":true}"));
        }
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static void assertConforms(HttpResponse<String> response, String specPath, String method) {
        JsonNode body = Json.parse(response.body());
        assertThat(SharedSpecs.responseSchema(SPEC, specPath, method, response.statusCode()).validate(body))
                .as("%s %s -> %s %s", method, specPath, response.statusCode(), response.body()).isEmpty();
    }

    /**
     * Deliberate deviation: Magento sends named message parameters as an object
     * ({@code "parameters": {"fieldName": "customerId"}}); the swagger declares a list of such objects. The body must
     * match the declared error-response once the object is taken as that list's single item.
     */
    private static void assertErrorConforms(HttpResponse<String> response, String specPath, String method) {
        JsonNode body = Json.parse(response.body());
        if (body.path("parameters").isObject()) {
            assertThat(SharedSpecs.responseSchema(SPEC, specPath, method, response.statusCode()).validate(body)).isNotEmpty();
            ObjectNode asDeclared = body.deepCopy();
            asDeclared.putArray("parameters").add(body.get("parameters"));
            body = asDeclared;
        }
        assertThat(SharedSpecs.responseSchema(SPEC, specPath, method, response.statusCode()).validate(body))
                .as("%s %s -> %s %s", method, specPath, response.statusCode(), response.body()).isEmpty();
    }

    @Test
    void searchResultsMatchTheSearchResultsInterface() {
        HttpResponse<String> r = signedGet(sim.baseUrl() + "/rest/all/V1/customers/search?searchCriteria%5BpageSize%5D=40"
                + "&searchCriteria%5BsortOrders%5D%5B0%5D%5Bfield%5D=email");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body()).get("items")).hasSize(40);
        assertConforms(r, "/V1/customers/search", "get");
    }

    @Test
    void everySeededCustomerMatchesTheCustomerInterface() {
        for (int id = 1; id <= 40; id++) {
            HttpResponse<String> r = signedGet(sim.baseUrl() + "/rest/all/V1/customers/" + id);
            assertThat(r.statusCode()).isEqualTo(200);
            assertConforms(r, "/V1/customers/{customerId}", "get");
        }
    }

    @Test
    void errorBodiesMatchTheErrorResponse() {
        HttpResponse<String> missing = signedGet(sim.baseUrl() + "/rest/V1/customers/404404");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertErrorConforms(missing, "/V1/customers/{customerId}", "get");
        HttpResponse<String> unauthorized = Http.get(sim.baseUrl() + "/rest/V1/customers/search?searchCriteria=");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertErrorConforms(unauthorized, "/V1/customers/search", "get");
        HttpResponse<String> noCriteria = signedGet(sim.baseUrl() + "/rest/V1/customers/search");
        assertThat(noCriteria.statusCode()).isEqualTo(400);
        assertErrorConforms(noCriteria, "/V1/customers/search", "get");
        HttpResponse<String> badLogin = Http.post(sim.baseUrl() + "/rest/V1/integration/admin/token", "{\"username\":\"admin\"}");
        assertThat(badLogin.statusCode()).isEqualTo(400);
        assertErrorConforms(badLogin, "/V1/integration/admin/token", "post");
    }

    @Test
    void theValidatorRejectsAResponseThatBreaksTheInterface() {
        JsonNode broken = Json.parse("{\"items\": [{\"id\": \"seven\", \"email\": \"a@example.com\", \"firstname\": \"A\","
                + " \"lastname\": \"B\"}], \"search_criteria\": {\"filter_groups\": []}, \"total_count\": 1}");
        assertThat(SharedSpecs.responseSchema(SPEC, "/V1/customers/search", "get", 200).validate(broken)).isNotEmpty();
    }
}
