package com.commerceidentity.sandbox.medusa;

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

/**
 * Every response the Medusa simulator gives is checked against what the Medusa 2.0 admin spec declares for it,
 * except where SOURCES.md records a spec defect: there the defect itself is asserted, so a corrected spec shows up.
 */
class MedusaConformanceTest {
    private static final JsonNode SPEC = SharedSpecs.yaml("medusa/admin-identity-subset.openapi.yaml");
    static MedusaSimulator sim;
    static String auth;

    @BeforeAll
    static void start() {
        sim = new MedusaSimulator(SandboxSettings.defaults().with("seed", "3").with("medusa.customers", "40"));
        sim.start();
        HttpResponse<String> login = Http.post(sim.baseUrl() + "/auth/user/emailpass",
                "{\"email\":\"admin@medusa-test.com\",\"password\":\"supersecret\"}");
        assertConforms(login, "/auth/user/{auth_provider}", "post");
        auth = "Bearer " + Json.parse(login.body()).get("token").asText();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static void assertConforms(HttpResponse<String> response, String specPath, String method) {
        assertConforms(Json.parse(response.body()), response.statusCode(), specPath, method);
    }

    private static void assertConforms(JsonNode body, int status, String specPath, String method) {
        assertThat(SharedSpecs.responseSchema(SPEC, specPath, method, status).validate(body))
                .as("%s %s -> %s %s", method, specPath, status, body).isEmpty();
    }

    private static HttpResponse<String> get(String path) {
        return Http.get(sim.baseUrl() + path, "Authorization", auth);
    }

    @Test
    void customerListMatchesTheSpecOnceItsCustomersDefectIsCorrected() {
        HttpResponse<String> r = get("/admin/customers?limit=40");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("customers")).hasSize(40);
        // Spec defect (SOURCES.md): customers is declared as one AdminCustomer; the real API sends an array.
        assertThat(SharedSpecs.responseSchema(SPEC, "/admin/customers", "get", 200).validate(body)).isNotEmpty();
        for (JsonNode customer : body.get("customers")) {
            ObjectNode asDeclared = body.deepCopy();
            asDeclared.set("customers", customer);
            assertConforms(asDeclared, 200, "/admin/customers", "get");
        }
    }

    @Test
    void singleCustomerAndUsersMatchTheirResponses() {
        String customerId = Json.parse(get("/admin/customers?limit=1").body()).at("/customers/0/id").asText();
        assertConforms(get("/admin/customers/" + customerId), "/admin/customers/{id}", "get");
        HttpResponse<String> users = get("/admin/users");
        assertConforms(users, "/admin/users", "get");
        String userId = Json.parse(users.body()).at("/users/0/id").asText();
        assertConforms(get("/admin/users/" + userId), "/admin/users/{id}", "get");
    }

    @Test
    void errorBodiesMatchTheErrorSchema() {
        HttpResponse<String> missing = get("/admin/customers/cus_missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertConforms(missing, "/admin/customers/{id}", "get");
        HttpResponse<String> invalid = get("/admin/customers?limit=abc");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertConforms(invalid, "/admin/customers", "get");
        HttpResponse<String> unauthorized = Http.get(sim.baseUrl() + "/admin/customers");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        JsonNode declared = SPEC.at("/components/responses/unauthorized/content/text~1plain/schema/default");
        assertThat(unauthorized.body()).isEqualTo(declared.asText());
    }

    @Test
    void theValidatorRejectsAUserThatBreaksTheSchema() {
        JsonNode broken = Json.parse("{\"users\": [{\"id\": \"user_1\"}], \"count\": 1, \"offset\": 0, \"limit\": 50}");
        assertThat(SharedSpecs.responseSchema(SPEC, "/admin/users", "get", 200).validate(broken)).isNotEmpty();
    }
}
