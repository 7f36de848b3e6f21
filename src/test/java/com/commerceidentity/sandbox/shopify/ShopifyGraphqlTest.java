package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShopifyGraphqlTest {

    static final String QUERY = "query Staff($first: Int!, $after: String) { staffMembers(first: $first, after: $after) "
            + "{ edges { cursor node { id firstName lastName email phone active accountType isShopOwner locale } } "
            + "pageInfo { hasNextPage endCursor } } }";

    ShopifySimulator sim;

    void start(String max, String restore) {
        sim = new ShopifySimulator(SandboxSettings.defaults().with("shopify.staff", "12").with("shopify.customers", "3")
                .with("shopify.graphqlMaximumAvailable", max).with("shopify.graphqlRestoreRate", restore));
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    JsonNode graphql(String query, JsonNode variables) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object().put("query", query);
        if (variables != null) {
            body.set("variables", variables);
        }
        HttpResponse<String> response = Http.post(sim.adminUrl("2025-07") + "/graphql.json", Json.write(body),
                "X-Shopify-Access-Token", sim.accessToken());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.parse(response.body());
    }

    @Test
    void staffMembersPagesThroughEveryoneWithCursors() {
        start("1000", "50");
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10; page++) {
            JsonNode result = graphql(QUERY, Json.object().put("first", 5).put("after", after));
            JsonNode connection = result.path("data").path("staffMembers");
            connection.path("edges").forEach(e -> ids.add(e.path("node").path("id").asText()));
            if (!connection.path("pageInfo").path("hasNextPage").asBoolean()) {
                break;
            }
            after = connection.path("pageInfo").path("endCursor").asText();
        }
        assertThat(ids).hasSize(12).doesNotHaveDuplicates().allMatch(id -> id.matches("gid://shopify/StaffMember/\\d+"));
    }

    @Test
    void inlineLiteralArgumentsWorkLikeVariables() {
        start("1000", "50");
        JsonNode first = graphql("{ staffMembers(first: 3) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }", null);
        String cursor = first.at("/data/staffMembers/pageInfo/endCursor").asText();
        JsonNode second = graphql("{ staffMembers(first: 3, after: \"" + cursor + "\") { edges { node { id } } } }", null);
        assertThat(second.at("/data/staffMembers/edges/0/node/id").asText())
                .isNotEqualTo(first.at("/data/staffMembers/edges/2/node/id").asText());
        JsonNode viaVariables = graphql(QUERY, Json.object().put("first", 3).put("after", cursor));
        assertThat(viaVariables.at("/data/staffMembers/edges/0/node/id")).isEqualTo(second.at("/data/staffMembers/edges/0/node/id"));
    }

    @Test
    void nodeFieldsAreLimitedToTheSelection() {
        start("1000", "50");
        JsonNode node = graphql("{ staffMembers(first: 1) { edges { node { id email } } } }", null).at("/data/staffMembers/edges/0/node");
        assertThat(node.fieldNames()).toIterable().containsExactly("id", "email");
    }

    @Test
    void costReportsRequestedAndLowerActualOnAShortPage() {
        start("1000", "50");
        JsonNode full = graphql(QUERY, Json.object().put("first", 5));
        assertThat(full.at("/extensions/cost/requestedQueryCost").asInt()).isEqualTo(7);
        assertThat(full.at("/extensions/cost/actualQueryCost").asInt()).isEqualTo(7);
        JsonNode shortPage = graphql(QUERY, Json.object().put("first", 50));
        assertThat(shortPage.at("/extensions/cost/requestedQueryCost").asInt()).isEqualTo(52);
        assertThat(shortPage.at("/extensions/cost/actualQueryCost").asInt()).isEqualTo(14);
        JsonNode throttle = shortPage.at("/extensions/cost/throttleStatus");
        assertThat(throttle.path("maximumAvailable").asDouble()).isEqualTo(1000.0);
        assertThat(throttle.path("restoreRate").asDouble()).isEqualTo(50.0);
        assertThat(throttle.path("currentlyAvailable").asInt()).isBetween(970, 1000);
    }

    @Test
    void throttledWhenPointsRunOut() {
        start("30", "1");
        JsonNode ok = graphql(QUERY, Json.object().put("first", 20));
        assertThat(ok.path("errors").isMissingNode()).isTrue();
        JsonNode throttled = graphql(QUERY, Json.object().put("first", 20));
        assertThat(throttled.at("/errors/0/message").asText()).isEqualTo("Throttled");
        assertThat(throttled.at("/errors/0/extensions/code").asText()).isEqualTo("THROTTLED");
        assertThat(throttled.at("/extensions/cost/actualQueryCost").isNull()).isTrue();
        assertThat(throttled.at("/extensions/cost/requestedQueryCost").asInt()).isEqualTo(22);
        assertThat(throttled.at("/extensions/cost/throttleStatus/currentlyAvailable").asInt()).isLessThan(22);
        assertThat(throttled.path("data").isMissingNode()).isTrue();
    }

    @Test
    void coTenantGraphqlSpendCausesThrottling() {
        start("1000", "1");
        sim.configure(Json.object().put("coTenantGraphqlSpend", 995));
        assertThat(graphql(QUERY, Json.object().put("first", 10)).at("/errors/0/extensions/code").asText()).isEqualTo("THROTTLED");
    }

    @Test
    void missingFirstIsAnErrorWithCost() {
        start("1000", "50");
        JsonNode result = graphql("{ staffMembers { edges { node { id } } } }", null);
        assertThat(result.at("/errors/0/message").asText()).isEqualTo("you must provide one of first or last");
        assertThat(result.at("/extensions/cost/requestedQueryCost").asInt()).isEqualTo(2);
    }

    @Test
    void firstAbove250IsAnError() {
        start("1000", "50");
        assertThat(graphql(QUERY, Json.object().put("first", 251)).at("/errors/0/message").asText()).contains("250");
    }

    @Test
    void unknownRootFieldIsAnError() {
        start("1000", "50");
        JsonNode result = graphql("{ shop { name } }", null);
        assertThat(result.at("/errors/0/message").asText()).isEqualTo("Field 'shop' doesn't exist on type 'QueryRoot'");
    }

    @Test
    void graphqlRequiresTheAccessTokenHeader() {
        start("1000", "50");
        HttpResponse<String> response = Http.post(sim.adminUrl("2025-07") + "/graphql.json", "{\"query\":\"{ shop { name } }\"}",
                "Authorization", "Bearer " + sim.accessToken());
        assertThat(response.statusCode()).isEqualTo(401);
    }
}
