package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ShopifyScimTest {

    static ShopifySimulator sim;

    @BeforeAll
    static void start() {
        sim = new ShopifySimulator(SandboxSettings.defaults().with("shopify.staff", "12").with("shopify.customers", "2"));
        sim.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static JsonNode users(String query) {
        HttpResponse<String> response = Http.get(sim.baseUrl() + "/scim/v2/Users" + query, "Authorization", "Bearer " + sim.scimToken());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.parse(response.body());
    }

    @Test
    void listResponseHasScimShape() {
        JsonNode body = users("?startIndex=1&count=5");
        assertThat(body.at("/schemas/0").asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        assertThat(body.path("totalResults").asInt()).isEqualTo(12);
        assertThat(body.path("startIndex").asInt()).isEqualTo(1);
        assertThat(body.path("itemsPerPage").asInt()).isEqualTo(5);
        JsonNode user = body.path("Resources").get(0);
        assertThat(user.path("userName").asText()).contains("@");
        assertThat(user.at("/name/givenName").isTextual()).isTrue();
        assertThat(user.at("/name/familyName").isTextual()).isTrue();
        assertThat(user.at("/emails/0/primary").asBoolean()).isTrue();
        assertThat(user.path("active").isBoolean()).isTrue();
        assertThat(user.at("/meta/created").asText()).endsWith("Z");
        assertThat(user.at("/meta/lastModified").asText()).endsWith("Z");
    }

    @Test
    void oneBasedPagingVisitsEveryUserOnce() {
        Set<String> ids = new HashSet<>();
        for (int start = 1; start <= 12; start += 5) {
            users("?startIndex=" + start + "&count=5").path("Resources").forEach(u -> assertThat(ids.add(u.path("id").asText())).isTrue());
        }
        assertThat(ids).hasSize(12);
        assertThat(users("?startIndex=11&count=5").path("itemsPerPage").asInt()).isEqualTo(2);
    }

    @Test
    void startIndexBeyondTheEndGivesNoResources() {
        JsonNode body = users("?startIndex=50&count=5");
        assertThat(body.path("Resources")).isEmpty();
        assertThat(body.path("totalResults").asInt()).isEqualTo(12);
    }

    @Test
    void startIndexBelowOneCountsAsOne() {
        assertThat(users("?startIndex=0&count=2").path("Resources").get(0)).isEqualTo(users("?startIndex=1&count=2").path("Resources").get(0));
    }

    @Test
    void staffCreatedThroughTheControlApiAppearsInScimAndGraphql() {
        HttpResponse<String> created = Http.post(sim.controlUrl() + "/records?kind=staff",
                "{\"firstName\":\"Nia\",\"lastName\":\"Okafor\",\"email\":\"Nia.Okafor@Example.com\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = Json.parse(created.body()).path("id").asText();
        try {
            JsonNode body = users("?startIndex=1&count=100");
            assertThat(body.path("totalResults").asInt()).isEqualTo(13);
            assertThat(body.path("Resources")).anySatisfy(u -> assertThat(u.path("userName").asText()).isEqualTo("Nia.Okafor@Example.com"));
            String graphql = Http.post(sim.adminUrl("2025-07") + "/graphql.json",
                    "{\"query\":\"{ staffMembers(first: 50) { edges { node { id email } } } }\"}",
                    "X-Shopify-Access-Token", sim.accessToken()).body();
            assertThat(graphql).contains("gid://shopify/StaffMember/" + id);
        } finally {
            assertThat(Http.delete(sim.controlUrl() + "/records/" + id + "?kind=staff").statusCode()).isEqualTo(204);
        }
    }

    @Test
    void scimNeedsTheScimBearerToken() {
        assertThat(Http.get(sim.baseUrl() + "/scim/v2/Users").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = Http.get(sim.baseUrl() + "/scim/v2/Users", "Authorization", "Bearer " + sim.accessToken());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Json.parse(wrong.body()).at("/schemas/0").asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    }
}
