package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk query contract of the Shopify sandbox, as shopify.dev documents it for API versions before 2026-01. */
class ShopifyBulkOperationsTest {

    static final String RUN = "mutation($query: String!) { bulkOperationRunQuery(query: $query) "
            + "{ bulkOperation { id status } userErrors { field message code } } }";
    static final String CUSTOMERS = "{ customers { edges { node { id email firstName lastName state tags updatedAt"
            + " addressesV2 { edges { node { id address1 city } } } } } } }";
    static final String POLL = "query($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount"
            + " rootObjectCount url } } }";

    ShopifySimulator sim;
    WebhookReceiver receiver;

    void start(SandboxSettings settings) {
        sim = new ShopifySimulator(settings.with("shopify.customers", "30"));
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
        if (receiver != null) {
            receiver.close();
        }
    }

    JsonNode graphql(String query, ObjectNode variables) {
        ObjectNode body = Json.object().put("query", query);
        body.set("variables", variables);
        HttpResponse<String> response = Http.post(sim.adminUrl("2025-07") + "/graphql.json", Json.write(body),
                "X-Shopify-Access-Token", sim.accessToken());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.parse(response.body());
    }

    JsonNode run(String bulkQuery) {
        return graphql(RUN, Json.object().put("query", bulkQuery));
    }

    /** Polls the operation until it leaves CREATED/RUNNING (bounded). */
    JsonNode awaitFinished(String id) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            JsonNode op = graphql(POLL, Json.object().put("id", id)).path("data").path("node");
            if (!Set.of("CREATED", "RUNNING", "CANCELING").contains(op.path("status").asText())) {
                return op;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("bulk operation " + id + " did not finish");
    }

    @Test
    void aBulkQueryEndsWithASignedJsonlFileWhoseNestedObjectsNameTheirParent() throws Exception {
        start(SandboxSettings.defaults());
        JsonNode started = run(CUSTOMERS).path("data").path("bulkOperationRunQuery");
        assertThat(started.path("userErrors")).isEmpty();
        String id = started.path("bulkOperation").path("id").asText();
        assertThat(id).matches("gid://shopify/BulkOperation/\\d+");
        assertThat(started.path("bulkOperation").path("status").asText()).isEqualTo("CREATED");

        JsonNode done = awaitFinished(id);
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("objectCount").asText()).as("customers and their addresses").isEqualTo("60");
        assertThat(done.path("rootObjectCount").asText()).isEqualTo("30");

        // a signed URL: fetched with no credentials at all
        HttpResponse<String> file = Http.get(done.path("url").asText());
        assertThat(file.statusCode()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        file.body().lines().forEach(l -> lines.add(Json.parse(l)));
        assertThat(lines).hasSize(60);
        Set<String> customersSoFar = new HashSet<>();
        for (JsonNode line : lines) {
            if (line.has("__parentId")) {
                assertThat(line.path("id").asText()).startsWith("gid://shopify/MailingAddress/");
                assertThat(customersSoFar).as("a child follows its parent").contains(line.path("__parentId").asText());
            } else {
                assertThat(line.path("id").asText()).startsWith("gid://shopify/Customer/");
                assertThat(line.path("updatedAt").asText()).endsWith("Z");
                customersSoFar.add(line.path("id").asText());
            }
        }
        assertThat(customersSoFar).hasSize(30);
        assertThat(sim.config().path("bulkDownloadsWithAccessToken").asLong()).isZero();

        String tampered = done.path("url").asText().replaceAll("Signature=.", "Signature=0");
        assertThat(Http.get(tampered.equals(done.path("url").asText()) ? tampered + "1" : tampered).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theFileHoldsTheShopAsItWasWhenTheOperationWasCreated() throws Exception {
        start(SandboxSettings.defaults().with("shopify.bulkHold", "true"));
        String id = run(CUSTOMERS).path("data").path("bulkOperationRunQuery").path("bulkOperation").path("id").asText();
        JsonNode changed = sim.records().list(com.commerceidentity.sandbox.RecordControl.CUSTOMER).get(3);
        String before = changed.path("first_name").asText();
        sim.records().update(com.commerceidentity.sandbox.RecordControl.CUSTOMER, changed.path("id").asText(),
                Json.object().put("first_name", "Renamed After The Start"));
        sim.configure(Json.object().put("bulkHold", false));

        JsonNode done = awaitFinished(id);
        String gid = "gid://shopify/Customer/" + changed.path("id").asText();
        List<JsonNode> lines = new ArrayList<>();
        Http.get(done.path("url").asText()).body().lines().map(Json::parse)
                .filter(l -> gid.equals(l.path("id").asText())).forEach(lines::add);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("firstName").asText()).isEqualTo(before).isNotEqualTo("Renamed After The Start");
    }

    @Test
    void oneBulkQueryAtATimePerShop() throws Exception {
        start(SandboxSettings.defaults().with("shopify.bulkHold", "true"));
        String first = run(CUSTOMERS).path("data").path("bulkOperationRunQuery").path("bulkOperation").path("id").asText();

        JsonNode second = run(CUSTOMERS).path("data").path("bulkOperationRunQuery");
        assertThat(second.path("bulkOperation").isNull()).isTrue();
        JsonNode error = second.path("userErrors").get(0);
        assertThat(error.path("code").asText()).isEqualTo("OPERATION_IN_PROGRESS");
        assertThat(error.path("message").asText())
                .isEqualTo("A bulk query operation for this app and shop is already in progress: " + first + ".");

        JsonNode current = graphql("{ currentBulkOperation { id status objectCount } }", Json.object())
                .path("data").path("currentBulkOperation");
        assertThat(current.path("id").asText()).isEqualTo(first);
        assertThat(current.path("status").asText()).isEqualTo("RUNNING");

        sim.configure(Json.object().put("bulkHold", false));
        assertThat(awaitFinished(first).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(run(CUSTOMERS).path("data").path("bulkOperationRunQuery").path("userErrors")).isEmpty();
    }

    @Test
    void anOperationOfAnotherProcessBlocksOursUntilItIsCanceled() throws Exception {
        start(SandboxSettings.defaults());
        sim.configure(Json.object().put("foreignBulkOperation", true));
        JsonNode refused = run(CUSTOMERS).path("data").path("bulkOperationRunQuery");
        assertThat(refused.path("userErrors").get(0).path("code").asText()).isEqualTo("OPERATION_IN_PROGRESS");
        String foreign = graphql("{ currentBulkOperation { id } }", Json.object())
                .path("data").path("currentBulkOperation").path("id").asText();

        sim.configure(Json.object().put("foreignBulkOperation", false));
        assertThat(awaitFinished(foreign).path("status").asText()).isEqualTo("CANCELED");
        assertThat(run(CUSTOMERS).path("data").path("bulkOperationRunQuery").path("userErrors")).isEmpty();
    }

    @Test
    void withoutReadCustomersTheOperationFailsAccessDenied() throws Exception {
        start(SandboxSettings.defaults().with("shopify.accessScopes", "read_users"));
        String id = run(CUSTOMERS).path("data").path("bulkOperationRunQuery").path("bulkOperation").path("id").asText();
        JsonNode done = awaitFinished(id);
        assertThat(done.path("status").asText()).isEqualTo("FAILED");
        assertThat(done.path("errorCode").asText()).isEqualTo("ACCESS_DENIED");
        assertThat(done.path("url").isNull()).isTrue();
    }

    @Test
    void bulkCallsAreChargedToTheGraphqlPointsAndFinishIsAWebhook() throws Exception {
        receiver = new WebhookReceiver();
        start(SandboxSettings.defaults().with("shopify.graphqlRestoreRate", "0.001")
                .with("shopify.webhookUrl", receiver.url("/shopify")).with("shopify.bulkFailWith", "INTERNAL_SERVER_ERROR"));
        JsonNode started = run(CUSTOMERS);
        assertThat(started.path("extensions").path("cost").path("requestedQueryCost").asInt()).isEqualTo(10);
        assertThat(started.path("extensions").path("cost").path("throttleStatus").path("currentlyAvailable").asInt())
                .isEqualTo(990);
        String id = started.path("data").path("bulkOperationRunQuery").path("bulkOperation").path("id").asText();
        JsonNode poll = graphql(POLL, Json.object().put("id", id));
        assertThat(poll.path("extensions").path("cost").path("requestedQueryCost").asInt()).isEqualTo(1);
        assertThat(poll.path("extensions").path("cost").path("throttleStatus").path("currentlyAvailable").asInt())
                .isEqualTo(989);

        assertThat(awaitFinished(id).path("errorCode").asText()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();
        WebhookReceiver.Received hook = receiver.received().stream()
                .filter(r -> "bulk_operations/finish".equals(r.header("X-Shopify-Topic"))).findFirst().orElseThrow();
        assertThat(hook.header("X-Shopify-Hmac-Sha256")).isEqualTo(ShopifyWebhooks.sign(sim.appSecret(), hook.body()));
        JsonNode payload = Json.parse(hook.body());
        assertThat(payload.path("admin_graphql_api_id").asText()).isEqualTo(id);
        assertThat(payload.path("status").asText()).isEqualTo("failed");
        assertThat(payload.path("error_code").asText()).isEqualTo("internal_server_error");
        assertThat(payload.path("type").asText()).isEqualTo("query");
    }

    @Test
    void customersCountCostsOnePoint() {
        start(SandboxSettings.defaults());
        JsonNode answer = graphql("{ customersCount { count precision } }", Json.object());
        assertThat(answer.path("data").path("customersCount").path("count").asInt()).isEqualTo(30);
        assertThat(answer.path("extensions").path("cost").path("requestedQueryCost").asInt()).isEqualTo(1);
    }

    @Test
    void aCountStopsAtItsLimitAndSaysAtLeastUnlessTheLimitIsLifted() {
        start(SandboxSettings.defaults());
        JsonNode capped = graphql("{ customersCount(limit: 20) { count precision } }", Json.object())
                .path("data").path("customersCount");
        assertThat(capped.path("count").asInt()).isEqualTo(20);
        assertThat(capped.path("precision").asText()).isEqualTo("AT_LEAST");

        JsonNode lifted = graphql("query($limit: Int) { customersCount(limit: $limit) { count precision } }",
                Json.object().putNull("limit")).path("data").path("customersCount");
        assertThat(lifted.path("count").asInt()).isEqualTo(30);
        assertThat(lifted.path("precision").asText()).isEqualTo("EXACT");
    }

    @Test
    void countsUnderAliasesFilterByIdRangeAndTheShopsLowestAndHighestIdsComeBesideThem() {
        start(SandboxSettings.defaults());
        List<Long> ids = sim.records().list(com.commerceidentity.sandbox.RecordControl.CUSTOMER).stream()
                .map(c -> c.path("id").asLong()).sorted().toList();
        long tenth = ids.get(10);
        long twentieth = ids.get(20);
        JsonNode data = graphql("{ customersCount(limit: null) { count precision }"
                + " lowest: customers(first: 1, sortKey: ID) { nodes { id } }"
                + " highest: customers(first: 1, sortKey: ID, reverse: true) { nodes { id } }"
                + " below: customersCount(query: \"id:<" + tenth + "\", limit: null) { count precision }"
                + " between: customersCount(query: \"id:>=" + tenth + " AND id:<" + twentieth + "\") { count }"
                + " from: customersCount(query: \"id:>=" + twentieth + "\") { count } }", Json.object()).path("data");

        assertThat(data.path("customersCount").path("count").asInt()).isEqualTo(30);
        assertThat(data.path("lowest").path("nodes").path(0).path("id").asText()).isEqualTo("gid://shopify/Customer/" + ids.get(0));
        assertThat(data.path("highest").path("nodes").path(0).path("id").asText()).isEqualTo("gid://shopify/Customer/" + ids.get(29));
        assertThat(data.path("below").path("count").asInt()).isEqualTo(10);
        assertThat(data.path("below").path("precision").asText()).isEqualTo("EXACT");
        assertThat(data.path("between").path("count").asInt()).isEqualTo(10);
        assertThat(data.path("from").path("count").asInt()).isEqualTo(10);
    }

    @Test
    void aBulkQueryWithASearchRunsOverTheCustomersItMatchesOnly() throws Exception {
        start(SandboxSettings.defaults());
        List<Long> ids = sim.records().list(com.commerceidentity.sandbox.RecordControl.CUSTOMER).stream()
                .map(c -> c.path("id").asLong()).sorted().toList();
        long from = ids.get(12);
        String id = run("{ customers(query: \"id:>=" + from + "\") { edges { node { id email } } } }")
                .path("data").path("bulkOperationRunQuery").path("bulkOperation").path("id").asText();

        JsonNode done = awaitFinished(id);
        assertThat(done.path("rootObjectCount").asInt()).isEqualTo(18);
        Set<String> read = new HashSet<>();
        Http.get(done.path("url").asText()).body().lines().map(Json::parse).forEach(l -> read.add(l.path("id").asText()));
        assertThat(read).hasSize(18).allMatch(gid -> Long.parseLong(gid.substring(gid.lastIndexOf('/') + 1)) >= from);
    }
}
