package com.commerceidentity.sandbox.magento;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.MutableClock;
import com.commerceidentity.sandbox.OAuth1Signing;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's search semantics, the admin-token way and the extension-style {@code /V1/users}. Calls are signed
 * with the integration's OAuth 1.0a credentials (the stock way in); this class turns 2FA off and {@code /V1/users}
 * on to test those two as well. The stock defaults themselves are specified in {@code MagentoStockAuthTest}.
 */
class MagentoSimulatorTest {
    /** Later than every seed timestamp, so records written by tests sort after the seeded ones. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    static MagentoSimulator sim;
    static String token;

    @BeforeAll
    static void start() {
        sim = new MagentoSimulator(SandboxSettings.defaults().with("seed", "7").with("magento.customers", "30")
                .with("magento.staff", "4"), CLOCK);
        sim.start();
        sim.configure(Json.parse("{\"twoFactorAuth\":false,\"adminUsersEndpoint\":true}"));
        token = token();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void reset() {
        sim.faults().clear();
        sim.configure(Json.parse("{\"latencyMillis\":0,\"maxConcurrent\":0,\"adminTokenLifetimeSeconds\":14400,"
                + "\"adminUsersEndpoint\":true,\"twoFactorAuth\":false,\"maxPageSize\":300,\"webhookUrl\":null}"));
    }

    static String token() {
        HttpResponse<String> r = Http.post(sim.baseUrl() + "/rest/V1/integration/admin/token",
                "{\"username\":\"admin\",\"password\":\"sandbox123\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.parse(r.body()).asText();
    }

    static String query(String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            // rawurlencode: Magento signs a '+' as a plus, so a space goes as %20
            parts.add(OAuth1Signing.rawurlencode(pairs[i]) + "=" + OAuth1Signing.rawurlencode(pairs[i + 1]));
        }
        return String.join("&", parts);
    }

    static HttpResponse<String> get(String path) {
        String url = sim.baseUrl() + path;
        return Http.get(url, "Authorization", SignedCalls.authorization(SignedCalls.Keys.of(sim), "GET", url));
    }

    static JsonNode search(String store, String... pairs) {
        HttpResponse<String> r = get("/rest/" + store + "V1/customers/search?" + query(pairs));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static List<String> ids(JsonNode result) {
        return StreamSupport.stream(result.get("items").spliterator(), false).map(n -> n.get("id").asText()).toList();
    }

    static List<JsonNode> customers() {
        return sim.records().list(RecordControl.CUSTOMER);
    }

    @Test
    void adminTokenIsAJsonStringAndWrongCredentialsAre401() {
        assertThat(token).matches("[0-9a-f]{32}");
        HttpResponse<String> wrong = Http.post(sim.baseUrl() + "/rest/default/V1/integration/admin/token",
                "{\"username\":\"admin\",\"password\":\"nope\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Json.parse(wrong.body()).get("message").asText()).startsWith("The account sign-in was incorrect");
        HttpResponse<String> missing = Http.post(sim.baseUrl() + "/rest/V1/integration/admin/token", "{\"username\":\"admin\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Json.parse(missing.body()).at("/parameters/fieldName").asText()).isEqualTo("password");
    }

    @Test
    void requestsWithoutALiveTokenAre401WithMagentosConsumerMessage() {
        for (String[] auth : new String[][] {{}, {"Authorization", "Bearer 0123456789abcdef0123456789abcdef"}}) {
            HttpResponse<String> r = Http.get(sim.baseUrl() + "/rest/V1/customers/search?searchCriteria=", auth);
            assertThat(r.statusCode()).isEqualTo(401);
            JsonNode body = Json.parse(r.body());
            assertThat(body.get("message").asText()).isEqualTo("The consumer isn't authorized to access %resources.");
            assertThat(body.at("/parameters/resources").asText()).isEqualTo("Magento_Customer::customer");
        }
    }

    @Test
    void tokensExpireAfterTheConfiguredLifetime() {
        sim.configure(Json.parse("{\"adminTokenLifetimeSeconds\":1}"));
        String shortLived = token();
        String url = sim.baseUrl() + "/rest/V1/customers/1";
        assertThat(Http.get(url, "Authorization", "Bearer " + shortLived).statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofMillis(999));
        assertThat(Http.get(url, "Authorization", "Bearer " + shortLived).statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofMillis(1));
        HttpResponse<String> expired = Http.get(url, "Authorization", "Bearer " + shortLived);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("The consumer isn't authorized to access %resources.");
    }

    @Test
    void storeCodeScopesCustomersToItsWebsite() {
        long website1 = customers().stream().filter(c -> c.get("website_id").asInt() == 1).count();
        assertThat(website1).isBetween(1L, 29L);
        assertThat(search("", "searchCriteria", "").get("total_count").asLong()).isEqualTo(website1);
        assertThat(search("default/", "searchCriteria", "").get("total_count").asLong()).isEqualTo(website1);
        assertThat(search("de/", "searchCriteria", "").get("total_count").asLong()).isEqualTo(30 - website1);
        assertThat(search("all/", "searchCriteria", "").get("total_count").asLong()).isEqualTo(30);
        HttpResponse<String> unknown = get("/rest/fr/V1/customers/search?searchCriteria=");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body()).get("message").asText()).isEqualTo("Request does not match any route.");
    }

    @Test
    void searchWithoutSearchCriteriaIs400WithMagentosRequiredMessage() {
        HttpResponse<String> r = get("/rest/V1/customers/search");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("message").asText()).isEqualTo("\"%fieldName\" is required. Enter and try again.");
        assertThat(body.at("/parameters/fieldName").asText()).isEqualTo("searchCriteria");
    }

    @Test
    void filtersInAGroupAreOredAndGroupsAreAnded() {
        List<JsonNode> all = customers();
        String a = all.get(0).get("email").asText();
        String b = all.get(1).get("email").asText();
        String c = all.get(2).get("email").asText();
        String createdOfB = all.get(1).get("created_at").asText();
        JsonNode snake = search("all/",
                "searchCriteria[filter_groups][0][filters][0][field]", "email",
                "searchCriteria[filter_groups][0][filters][0][value]", a.toUpperCase(Locale.ROOT),
                "searchCriteria[filter_groups][0][filters][1][field]", "email",
                "searchCriteria[filter_groups][0][filters][1][value]", b,
                "searchCriteria[filter_groups][0][filters][2][field]", "email",
                "searchCriteria[filter_groups][0][filters][2][value]", c,
                "searchCriteria[filter_groups][1][filters][0][field]", "created_at",
                "searchCriteria[filter_groups][1][filters][0][value]", createdOfB,
                "searchCriteria[filter_groups][1][filters][0][condition_type]", "gteq");
        // Seeded people may share an address, so the expectation is computed from the records themselves.
        List<String> expected = all.stream()
                .filter(x -> List.of(a, b, c).stream().anyMatch(e -> e.equalsIgnoreCase(x.get("email").asText())))
                .filter(x -> x.get("created_at").asText().compareTo(createdOfB) >= 0)
                .map(x -> x.get("id").asText()).toList();
        assertThat(expected).contains("2", "3").doesNotContain("1");
        assertThat(ids(snake)).isEqualTo(expected);
        JsonNode camel = search("all/",
                "searchCriteria[filterGroups][0][filters][0][field]", "email",
                "searchCriteria[filterGroups][0][filters][0][value]", a,
                "searchCriteria[filterGroups][0][filters][1][field]", "email",
                "searchCriteria[filterGroups][0][filters][1][value]", b,
                "searchCriteria[filterGroups][1][filters][0][field]", "id",
                "searchCriteria[filterGroups][1][filters][0][value]", "2",
                "searchCriteria[filterGroups][1][filters][0][conditionType]", "neq");
        List<String> expectedCamel = all.stream()
                .filter(x -> List.of(a, b).stream().anyMatch(e -> e.equalsIgnoreCase(x.get("email").asText())))
                .map(x -> x.get("id").asText()).filter(id -> !id.equals("2")).toList();
        assertThat(expectedCamel).contains("1");
        assertThat(ids(camel)).isEqualTo(expectedCamel);
        assertThat(camel.at("/search_criteria/filter_groups/1/filters/0/condition_type").asText()).isEqualTo("neq");
    }

    @Test
    void conditionTypesFollowMagentoSemantics() {
        String like = "searchCriteria[filter_groups][0][filters][0]";
        assertThat(search("all/", like + "[field]", "id", like + "[value]", "3,5,7", like + "[condition_type]", "in")
                .get("total_count").asInt()).isEqualTo(3);
        assertThat(search("all/", like + "[field]", "id", like + "[value]", "3,5,7", like + "[condition_type]", "nin")
                .get("total_count").asInt()).isEqualTo(27);
        assertThat(search("all/", like + "[field]", "id", like + "[value]", "10", like + "[condition_type]", "lt")
                .get("total_count").asInt()).isEqualTo(9);
        assertThat(search("all/", like + "[field]", "id", like + "[value]", "10", like + "[condition_type]", "to")
                .get("total_count").asInt()).isEqualTo(10);
        assertThat(search("all/", like + "[field]", "id", like + "[value]", "10", like + "[condition_type]", "from")
                .get("total_count").asInt()).isEqualTo(21);
        long northwind = customers().stream()
                .filter(c -> c.get("email").asText().toLowerCase(Locale.ROOT).endsWith("@northwind.test")).count();
        assertThat(northwind).as("the seed spells this domain in two cases").isPositive();
        assertThat(search("all/", like + "[field]", "email", like + "[value]", "%@NORTHWIND.test", like + "[condition_type]", "like")
                .get("total_count").asLong()).isEqualTo(northwind);
        long unconfirmed = customers().stream().filter(c -> c.has("confirmation")).count();
        assertThat(search("all/", like + "[field]", "confirmation", like + "[condition_type]", "notnull")
                .get("total_count").asLong()).isEqualTo(unconfirmed);
        assertThat(search("all/", like + "[field]", "confirmation", like + "[condition_type]", "null")
                .get("total_count").asLong()).isEqualTo(30 - unconfirmed);
        HttpResponse<String> bad = get("/rest/all/V1/customers/search?" + query(like + "[field]", "id",
                like + "[value]", "1", like + "[condition_type]", "approximately"));
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void sortOrdersApplyAndDefaultToDescending() {
        JsonNode asc = search("all/", "searchCriteria[sortOrders][0][field]", "email",
                "searchCriteria[sortOrders][0][direction]", "ASC");
        List<String> emails = StreamSupport.stream(asc.get("items").spliterator(), false)
                .map(n -> n.get("email").asText()).toList();
        assertThat(emails).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
        JsonNode implicit = search("all/", "searchCriteria[sortOrders][0][field]", "id");
        assertThat(ids(implicit).get(0)).isEqualTo("30");
    }

    @Test
    void pageBeyondTheLastReturnsTheLastPageAgain() {
        JsonNode last = search("all/", "searchCriteria[pageSize]", "7", "searchCriteria[currentPage]", "5");
        JsonNode beyond = search("all/", "searchCriteria[pageSize]", "7", "searchCriteria[currentPage]", "100");
        assertThat(ids(last)).containsExactly("29", "30");
        assertThat(ids(beyond)).isEqualTo(ids(last));
        assertThat(beyond.get("total_count").asInt()).isEqualTo(30);
        assertThat(beyond.at("/search_criteria/current_page").asInt()).isEqualTo(100);
        assertThat(ids(search("all/", "searchCriteria[pageSize]", "7", "searchCriteria[currentPage]", "2")))
                .containsExactly("8", "9", "10", "11", "12", "13", "14");
    }

    @Test
    void pageSizeAboveTheInputLimitIs400() {
        HttpResponse<String> r = get("/rest/all/V1/customers/search?" + query("searchCriteria[pageSize]", "301"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parse(r.body()).get("message").asText()).isEqualTo("Maximum SearchCriteria pageSize is 300");
        assertThat(search("all/", "searchCriteria[pageSize]", "300").get("items")).hasSize(30);
    }

    @Test
    void customerByIdIs404WhenUnknownOrOutsideTheStoresWebsite() {
        JsonNode second = customers().stream().filter(c -> c.get("website_id").asInt() == 2).findFirst().orElseThrow();
        String id = second.get("id").asText();
        assertThat(get("/rest/de/V1/customers/" + id).statusCode()).isEqualTo(200);
        assertThat(get("/rest/all/V1/customers/" + id).statusCode()).isEqualTo(200);
        for (String path : List.of("/rest/V1/customers/" + id, "/rest/default/V1/customers/999")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).isEqualTo(404);
            JsonNode body = Json.parse(r.body());
            assertThat(body.get("message").asText()).isEqualTo("No such entity with %fieldName = %fieldValue");
            assertThat(body.at("/parameters/fieldName").asText()).isEqualTo("customerId");
        }
    }

    @Test
    void adminUsersListHasTheAdminUserShapeAndCanBeSwitchedOff() {
        HttpResponse<String> r = get("/rest/V1/users");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("total_count").asInt()).isEqualTo(4);
        JsonNode admin = body.get("items").get(0);
        assertThat(admin.get("username").asText()).isEqualTo("admin");
        assertThat(admin.get("user_id").asInt()).isEqualTo(1);
        assertThat(admin.get("is_active").asInt()).isEqualTo(1);
        assertThat(admin.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        sim.configure(Json.parse("{\"adminUsersEndpoint\":false}"));
        HttpResponse<String> off = get("/rest/V1/users");
        assertThat(off.statusCode()).isEqualTo(404);
        assertThat(off.body()).contains("Request does not match any route.");
    }

    @Test
    void concurrencyCapQueuesRequestsAndLatencyDelaysEach() {
        sim.configure(Json.parse("{\"latencyMillis\":250,\"maxConcurrent\":2,\"resetPeak\":true}"));
        long started = System.nanoTime();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> get("/rest/V1/customers/1").statusCode()));
        }
        List<Integer> statuses = calls.stream().map(f -> f.orTimeout(10, TimeUnit.SECONDS).join()).toList();
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(statuses).containsOnly(200);
        // Two waves of two: the third and fourth request wait for a slot, so the batch takes two latencies.
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(500);
        assertThat(sim.config().get("peakInFlight").asInt()).isEqualTo(2);
        assertThat(sim.counters().withStatus(429)).isZero();
    }

    @Test
    void customerChangesAreDeliveredAsSignedAdobeCommerceWebhooks() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Http.post(sim.controlUrl() + "/config", "{\"webhookUrl\":\"" + receiver.url("/adobe") + "\"}");
            HttpResponse<String> created = Http.post(sim.controlUrl() + "/records?kind=customer",
                    "{\"email\":\"hook@example.com\",\"firstname\":\"Hook\",\"lastname\":\"Test\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            String id = Json.parse(created.body()).get("id").asText();
            Http.put(sim.controlUrl() + "/records/" + id + "?kind=customer", "{\"lastname\":\"Changed\"}");
            assertThat(Http.delete(sim.controlUrl() + "/records/" + id + "?kind=customer").statusCode()).isEqualTo(204);
            assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();

            List<WebhookReceiver.Received> got = receiver.received();
            assertThat(got).hasSize(3);
            assertThat(got).extracting(g -> Json.parse(g.body()).get("eventName").asText()).containsExactly(
                    MagentoSimulator.SAVE_EVENT, MagentoSimulator.SAVE_EVENT, MagentoSimulator.DELETE_EVENT);
            JsonNode update = Json.parse(got.get(1).body());
            assertThat(update.at("/data/customer_data_object/lastname").asText()).isEqualTo("Changed");
            assertThat(update.at("/data/orig_customer_data_object/lastname").asText()).isEqualTo("Test");
            assertThat(Json.parse(got.get(2).body()).at("/data/data_object/id").asText()).isEqualTo(id);
            for (WebhookReceiver.Received r : got) {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(sim.webhookPublicKey());
                verifier.update(Base64.getEncoder().encode(r.body()));
                assertThat(verifier.verify(Base64.getDecoder().decode(r.header(MagentoSimulator.SIGNATURE_HEADER)))).isTrue();
            }
            Signature tampered = Signature.getInstance("SHA256withRSA");
            tampered.initVerify(sim.webhookPublicKey());
            tampered.update(Base64.getEncoder().encode((got.get(0).bodyText() + " ").getBytes(StandardCharsets.UTF_8)));
            assertThat(tampered.verify(Base64.getDecoder().decode(got.get(0).header(MagentoSimulator.SIGNATURE_HEADER)))).isFalse();
        }
    }

    @Test
    void publicKeyIsPublishedAsPemThroughTheControlApi() {
        JsonNode info = Json.parse(Http.get(sim.controlUrl()).body());
        assertThat(info.at("/credentials/webhookKey").asText()).startsWith("-----BEGIN PUBLIC KEY-----")
                .isEqualTo(sim.webhookPublicKeyPem());
    }

    @Test
    void requestFaultsApplyToMagentoEndpoints() {
        String path = "/rest/V1/customers/1";
        sim.faults().add(FaultType.SERVER_ERROR, "/rest/*/customers/*", 1);
        HttpResponse<String> error = get(path);
        assertThat(error.statusCode()).isEqualTo(503);
        assertThat(Json.parse(error.body()).get("message").asText()).startsWith("Internal Error.");
        sim.faults().add(FaultType.RATE_LIMIT, "/rest/*", 1);
        assertThat(get(path).statusCode()).isEqualTo(429);
        sim.faults().add(FaultType.SLOW, null, "/rest/*", 1, 300, 0);
        long started = System.nanoTime();
        assertThat(get(path).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).isGreaterThanOrEqualTo(300);
        sim.faults().add(FaultType.CONNECTION_RESET, "/rest/*", 2); // java.net.http silently retries a GET once after a reset
        assertThatThrownBy(() -> get(path)).isInstanceOf(RuntimeException.class);
        sim.faults().add(FaultType.TRUNCATED_BODY, "/rest/*", 1);
        assertThatThrownBy(() -> Json.parse(get(path).body())).isInstanceOf(IllegalArgumentException.class);
        sim.faults().add(FaultType.MALFORMED_JSON, "/rest/*", 1);
        assertThatThrownBy(() -> Json.parse(get(path).body())).isInstanceOf(IllegalArgumentException.class);
        assertThat(get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void listFaultsApplyToCustomerSearch() {
        sim.faults().add(FaultType.EMPTY_PAGE, "/rest/*/customers/search", 1);
        JsonNode empty = search("all/", "searchCriteria[pageSize]", "5");
        assertThat(empty.get("items")).isEmpty();
        assertThat(empty.get("total_count").asInt()).isEqualTo(30);

        String[] byUpdated = {"searchCriteria[sortOrders][0][field]", "updated_at",
                "searchCriteria[sortOrders][0][direction]", "ASC", "searchCriteria[pageSize]", "5"};
        String firstBefore = ids(search("all/", byUpdated)).get(0);
        sim.faults().add(FaultType.MOVE_RECORD, "/rest/*/customers/search", 1);
        assertThat(ids(search("all/", byUpdated))).doesNotContain(firstBefore);
        JsonNode everything = search("all/", "searchCriteria[sortOrders][0][field]", "updated_at",
                "searchCriteria[sortOrders][0][direction]", "ASC");
        assertThat(ids(everything).get(ids(everything).size() - 1)).isEqualTo(firstBefore);
    }

    /** Searches read indexes per website and order: a saved change must move the row in both at once. */
    @Test
    void anUpdateMovesACustomerToItsNewWebsiteAndToTheNewestEndOfTheUpdateOrder() {
        String id = customers().stream().filter(c -> c.get("website_id").asInt() == 1).findFirst().orElseThrow()
                .get("id").asText();
        long inDe = search("de/", "searchCriteria", "").get("total_count").asLong();
        String[] newestFirst = {"searchCriteria[sortOrders][0][field]", "updated_at",
                "searchCriteria[sortOrders][0][direction]", "DESC", "searchCriteria[pageSize]", "1"};
        try {
            sim.records().update(RecordControl.CUSTOMER, id, Json.parse("{\"website_id\":2}"));
            assertThat(search("de/", "searchCriteria", "").get("total_count").asLong()).isEqualTo(inDe + 1);
            assertThat(ids(search("default/", "searchCriteria", ""))).doesNotContain(id);
            assertThat(ids(search("de/", newestFirst))).containsExactly(id);
            assertThat(ids(search("all/", newestFirst))).containsExactly(id);
            String at = sim.records().get(RecordControl.CUSTOMER, id).orElseThrow().get("updated_at").asText();
            JsonNode since = search("de/", "searchCriteria[filter_groups][0][filters][0][field]", "updated_at",
                    "searchCriteria[filter_groups][0][filters][0][value]", at,
                    "searchCriteria[filter_groups][0][filters][0][condition_type]", "gteq");
            assertThat(ids(since)).containsExactly(id);
            assertThat(since.get("total_count").asInt()).isEqualTo(1);
        } finally {
            sim.records().update(RecordControl.CUSTOMER, id, Json.parse("{\"website_id\":1}"));
        }
        assertThat(search("de/", "searchCriteria", "").get("total_count").asLong()).isEqualTo(inDe);
        assertThat(ids(search("default/", newestFirst))).containsExactly(id);
    }
}
