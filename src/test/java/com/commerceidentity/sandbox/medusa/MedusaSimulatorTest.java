package com.commerceidentity.sandbox.medusa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.MutableClock;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MedusaSimulatorTest {
    /**
     * Later than every seed timestamp, so records written by tests sort after the seeded ones; a fraction of a
     * second in, because the JWT's whole-second iat/exp must not hide sub-second time.
     */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00.400Z"));
    static MedusaSimulator sim;
    static String jwt;

    @BeforeAll
    static void start() {
        sim = new MedusaSimulator(SandboxSettings.defaults().with("seed", "11").with("medusa.customers", "60")
                .with("medusa.staff", "5"), CLOCK);
        sim.start();
        jwt = login("admin@medusa-test.com", "supersecret");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void reset() {
        sim.faults().clear();
        sim.configure(Json.parse("{\"jwtTtlSeconds\":86400,\"webhookUrl\":null}"));
    }

    static String login(String email, String password) {
        HttpResponse<String> r = Http.post(sim.baseUrl() + "/auth/user/emailpass",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body()).get("token").asText();
    }

    static HttpResponse<String> get(String pathAndQuery) {
        return Http.get(sim.baseUrl() + pathAndQuery, "Authorization", "Bearer " + jwt);
    }

    static JsonNode list(String path, String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            parts.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = get(path + (parts.isEmpty() ? "" : "?" + String.join("&", parts)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static List<String> ids(JsonNode page, String array) {
        return StreamSupport.stream(page.get(array).spliterator(), false).map(n -> n.get("id").asText()).toList();
    }

    static List<JsonNode> liveCustomers() {
        return sim.records().list(RecordControl.CUSTOMER).stream().filter(c -> c.get("deleted_at").isNull()).toList();
    }

    @Test
    void emailpassLoginIssuesAnHs256JwtThatExpiresAfterTheConfiguredTtl() {
        sim.configure(Json.parse("{\"jwtTtlSeconds\":120}"));
        String token = login("admin@medusa-test.com", "supersecret");
        String[] parts = token.split("\\.");
        JsonNode header = Json.parse(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode payload = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asText()).isEqualTo("HS256");
        assertThat(payload.get("actor_type").asText()).isEqualTo("user");
        assertThat(payload.get("actor_id").asText()).startsWith("user_");
        assertThat(payload.get("exp").asLong() - payload.get("iat").asLong()).isEqualTo(120);
        byte[] expected = Hmac.sha256(sim.config().get("jwtSecret").asText().getBytes(StandardCharsets.UTF_8),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(Base64.getUrlDecoder().decode(parts[2])).isEqualTo(expected);
    }

    @Test
    void wrongPasswordIs401() {
        HttpResponse<String> r = Http.post(sim.baseUrl() + "/auth/user/emailpass",
                "{\"email\":\"admin@medusa-test.com\",\"password\":\"guess\"}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Json.parse(r.body()).get("type").asText()).isEqualTo("unauthorized");
    }

    @Test
    void adminRoutesAcceptJwtOrSecretApiKeyAndRefuseEverythingElse() {
        String url = sim.baseUrl() + "/admin/customers?limit=1";
        HttpResponse<String> none = Http.get(url);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("Unauthorized");
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String tampered = jwt.substring(0, jwt.length() - 2) + (jwt.endsWith("AA") ? "BB" : "AA");
        assertThat(Http.get(url, "Authorization", "Bearer " + tampered).statusCode()).isEqualTo(401);
        String basic = Base64.getEncoder().encodeToString((sim.apiKey() + ":").getBytes(StandardCharsets.UTF_8));
        assertThat(Http.get(url, "Authorization", "Basic " + basic).statusCode()).isEqualTo(200);
        String wrongKey = Base64.getEncoder().encodeToString("sk_wrong:".getBytes(StandardCharsets.UTF_8));
        assertThat(Http.get(url, "Authorization", "Basic " + wrongKey).statusCode()).isEqualTo(401);
        assertThat(Http.get(url, "x-medusa-access-token", sim.apiKey()).statusCode()).isEqualTo(200);
        assertThat(Http.get(sim.baseUrl() + "/admin/users", "Authorization", "Bearer nonsense").statusCode()).isEqualTo(401);
    }

    @Test
    void expiredJwtIsRefused() {
        sim.configure(Json.parse("{\"jwtTtlSeconds\":1}"));
        String shortLived = login("admin@medusa-test.com", "supersecret");
        JsonNode payload = Json.parse(Base64.getUrlDecoder().decode(shortLived.split("\\.")[1]));
        Instant issued = CLOCK.instant();
        // iat is the issuing second rounded down, so a 1 s token dies at the next whole second, 600 ms after issue.
        assertThat(payload.get("iat").asLong()).isEqualTo(issued.getEpochSecond());
        Instant exp = Instant.ofEpochSecond(payload.get("exp").asLong());
        String url = sim.baseUrl() + "/admin/users";
        assertThat(Http.get(url, "Authorization", "Bearer " + shortLived).statusCode()).isEqualTo(200);
        CLOCK.set(exp.minusMillis(1));
        assertThat(Http.get(url, "Authorization", "Bearer " + shortLived).statusCode()).isEqualTo(200);
        // Like jsonwebtoken, a token is dead from the second its exp names.
        CLOCK.set(exp);
        assertThat(Http.get(url, "Authorization", "Bearer " + shortLived).statusCode()).isEqualTo(401);
    }

    @Test
    void listsPageWithOffsetAndDefaultLimitFifty() {
        JsonNode first = list("/admin/customers");
        assertThat(first.get("customers")).hasSize(50);
        assertThat(first.get("count").asInt()).isEqualTo(liveCustomers().size());
        assertThat(first.get("limit").asInt()).isEqualTo(50);
        assertThat(first.get("offset").asInt()).isZero();
        JsonNode second = list("/admin/customers", "offset", "50", "limit", "50");
        assertThat(second.get("customers")).hasSize(liveCustomers().size() - 50);
        assertThat(ids(second, "customers")).doesNotContainAnyElementsOf(ids(first, "customers"));
        assertThat(list("/admin/customers", "offset", "500").get("customers")).isEmpty();
        JsonNode users = list("/admin/users", "limit", "2");
        assertThat(users.get("users")).hasSize(2);
        assertThat(users.get("count").asLong()).isEqualTo(sim.records().list(RecordControl.STAFF).stream()
                .filter(u -> u.get("deleted_at").isNull()).count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void orderSortsAscendingOrDescendingWithMinus() {
        JsonNode desc = list("/admin/customers", "order", "-updated_at", "limit", "100");
        List<String> updated = StreamSupport.stream(desc.get("customers").spliterator(), false)
                .map(c -> c.get("updated_at").asText()).toList();
        assertThat(updated).isSortedAccordingTo(Comparator.reverseOrder());
        JsonNode asc = list("/admin/customers", "order", "email", "limit", "100");
        List<String> emails = StreamSupport.stream(asc.get("customers").spliterator(), false)
                .filter(c -> c.hasNonNull("email")).map(c -> c.get("email").asText()).toList();
        assertThat(emails).hasSizeGreaterThan(10).isSorted();
    }

    @Test
    void updatedAtOperatorsBoundTheList() {
        List<JsonNode> all = liveCustomers();
        String pivot = all.get(all.size() / 2).get("updated_at").asText();
        Instant p = Instant.parse(pivot);
        long gte = all.stream().filter(c -> !Instant.parse(c.get("updated_at").asText()).isBefore(p)).count();
        long gt = all.stream().filter(c -> Instant.parse(c.get("updated_at").asText()).isAfter(p)).count();
        long lte = all.stream().filter(c -> !Instant.parse(c.get("updated_at").asText()).isAfter(p)).count();
        long lt = all.stream().filter(c -> Instant.parse(c.get("updated_at").asText()).isBefore(p)).count();
        assertThat(gt).isLessThan(gte);
        assertThat(list("/admin/customers", "updated_at[$gte]", pivot).get("count").asLong()).isEqualTo(gte);
        assertThat(list("/admin/customers", "updated_at[$gt]", pivot).get("count").asLong()).isEqualTo(gt);
        assertThat(list("/admin/customers", "updated_at[$lte]", pivot).get("count").asLong()).isEqualTo(lte);
        assertThat(list("/admin/customers", "updated_at[$lt]", pivot).get("count").asLong()).isEqualTo(lt);
        assertThat(list("/admin/customers", "updated_at[$gte]", pivot, "updated_at[$lte]", pivot).get("count").asLong())
                .isEqualTo(gte + lte - all.size());
    }

    @Test
    void idFilterLooksUpABatchInEitherSpelling() {
        List<JsonNode> all = liveCustomers();
        String a = all.get(3).get("id").asText();
        String b = all.get(40).get("id").asText();
        assertThat(ids(list("/admin/customers", "id", a, "id", b), "customers")).containsExactlyInAnyOrder(a, b);
        assertThat(ids(list("/admin/customers", "id[]", a, "id[]", b), "customers")).containsExactlyInAnyOrder(a, b);
        assertThat(ids(list("/admin/customers", "id", a), "customers")).containsExactly(a);
    }

    @Test
    void qSearchesNameAndEmail() {
        JsonNode someone = liveCustomers().stream().filter(c -> c.hasNonNull("last_name")).findFirst().orElseThrow();
        String term = someone.get("last_name").asText().toUpperCase();
        JsonNode found = list("/admin/customers", "q", term, "limit", "100");
        assertThat(ids(found, "customers")).contains(someone.get("id").asText());
        assertThat(found.get("count").asInt()).isLessThan(liveCustomers().size());
    }

    @Test
    void softDeletedRowsAreHiddenFromListsAndLookups() {
        JsonNode victim = liveCustomers().get(5);
        String id = victim.get("id").asText();
        int before = list("/admin/customers").get("count").asInt();
        assertThat(Http.delete(sim.controlUrl() + "/records/" + id + "?kind=customer").statusCode()).isEqualTo(204);
        assertThat(list("/admin/customers").get("count").asInt()).isEqualTo(before - 1);
        assertThat(ids(list("/admin/customers", "id", id), "customers")).isEmpty();
        HttpResponse<String> gone = get("/admin/customers/" + id);
        assertThat(gone.statusCode()).isEqualTo(404);
        JsonNode body = Json.parse(gone.body());
        assertThat(body.get("type").asText()).isEqualTo("not_found");
        assertThat(body.get("message").asText()).isEqualTo("Customer with id: " + id + " was not found");
        assertThat(sim.records().get(RecordControl.CUSTOMER, id).orElseThrow().get("deleted_at").isNull()).isFalse();
    }

    @Test
    void singleRecordsAreWrappedAndUnknownIdsAre404() {
        JsonNode user = sim.records().list(RecordControl.STAFF).get(0);
        JsonNode got = Json.parse(get("/admin/users/" + user.get("id").asText()).body());
        assertThat(got.get("user")).isEqualTo(user);
        HttpResponse<String> missing = get("/admin/users/user_missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.parse(missing.body()).get("message").asText()).isEqualTo("User with id: user_missing was not found");
    }

    @Test
    void invalidQueriesAre400InvalidData() {
        HttpResponse<String> notNumber = get("/admin/customers?limit=abc");
        assertThat(notNumber.statusCode()).isEqualTo(400);
        assertThat(Json.parse(notNumber.body()).get("type").asText()).isEqualTo("invalid_data");
        HttpResponse<String> unknown = get("/admin/users?has_account=true");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.parse(unknown.body()).get("message").asText()).contains("Unrecognized fields: 'has_account'");
    }

    @Test
    void mutationsAreDeliveredAsSignedIdOnlyEvents() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            sim.configure(Json.parse("{\"webhookUrl\":\"" + receiver.url("/medusa") + "\"}"));
            String id = Json.parse(Http.post(sim.controlUrl() + "/records?kind=customer",
                    "{\"email\":\"ev@example.com\",\"first_name\":\"Ev\",\"has_account\":true}").body()).get("id").asText();
            Http.put(sim.controlUrl() + "/records/" + id + "?kind=customer", "{\"last_name\":\"Ent\"}");
            Http.delete(sim.controlUrl() + "/records/" + id + "?kind=customer");
            String userId = Json.parse(Http.post(sim.controlUrl() + "/records?kind=staff",
                    "{\"email\":\"staff@example.com\"}").body()).get("id").asText();
            Http.post(sim.controlUrl() + "/webhooks/knobs", "{\"duplicateNext\":1}");
            Http.post(sim.controlUrl() + "/webhooks/trigger", "{\"topic\":\"user.updated\",\"id\":\"" + userId + "\"}");
            assertThat(sim.webhooks().awaitIdle(Duration.ofSeconds(5))).isTrue();

            List<WebhookReceiver.Received> got = receiver.received();
            assertThat(got).extracting(r -> Json.parse(r.body()).get("event").asText()).containsExactly(
                    "customer.created", "customer.updated", "customer.deleted", "user.created", "user.updated", "user.updated");
            for (WebhookReceiver.Received r : got) {
                JsonNode body = Json.parse(r.body());
                assertThat(body.get("data")).hasSize(1);
                assertThat(body.get("data").get(0).size()).isEqualTo(1);
                Instant.parse(body.get("occurred_at").asText());
                String expected = "sha256=" + HexFormat.of().formatHex(
                        Hmac.sha256(sim.webhookSecret().getBytes(StandardCharsets.UTF_8), r.body()));
                assertThat(r.header(MedusaSimulator.SIGNATURE_HEADER)).isEqualTo(expected);
            }
            assertThat(Json.parse(got.get(0).body()).at("/data/0/id").asText()).isEqualTo(id);
            assertThat(got.subList(0, 5)).extracting(r -> r.header(MedusaSimulator.EVENT_ID_HEADER)).doesNotHaveDuplicates();
            assertThat(got.get(5).header(MedusaSimulator.EVENT_ID_HEADER)).isEqualTo(got.get(4).header(MedusaSimulator.EVENT_ID_HEADER));
        }
    }

    @Test
    void requestFaultsApplyToMedusaEndpoints() {
        String path = "/admin/customers?limit=2";
        sim.faults().add(FaultType.SERVER_ERROR, "/admin/*", 1);
        HttpResponse<String> error = get(path);
        assertThat(error.statusCode()).isEqualTo(503);
        assertThat(Json.parse(error.body()).get("type").asText()).isEqualTo("unknown_error");
        sim.faults().add(FaultType.RATE_LIMIT, "/admin/*", 1);
        assertThat(get(path).statusCode()).isEqualTo(429);
        sim.faults().add(FaultType.SLOW, null, "/admin/customers", 1, 300, 0);
        long started = System.nanoTime();
        assertThat(get(path).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).isGreaterThanOrEqualTo(300);
        sim.faults().add(FaultType.CONNECTION_RESET, "/admin/*", 2); // java.net.http silently retries a GET once after a reset
        assertThatThrownBy(() -> get(path)).isInstanceOf(RuntimeException.class);
        sim.faults().add(FaultType.TRUNCATED_BODY, "/admin/*", 1);
        assertThatThrownBy(() -> Json.parse(get(path).body())).isInstanceOf(IllegalArgumentException.class);
        sim.faults().add(FaultType.MALFORMED_JSON, "/admin/*", 1);
        assertThatThrownBy(() -> Json.parse(get(path).body())).isInstanceOf(IllegalArgumentException.class);
        assertThat(get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void listFaultsApplyToCustomerLists() {
        sim.faults().add(FaultType.EMPTY_PAGE, "/admin/customers", 1);
        JsonNode empty = list("/admin/customers", "limit", "5");
        assertThat(empty.get("customers")).isEmpty();
        assertThat(empty.get("count").asInt()).isEqualTo(liveCustomers().size());

        String firstBefore = ids(list("/admin/customers", "order", "updated_at", "limit", "5"), "customers").get(0);
        sim.faults().add(FaultType.MOVE_RECORD, "/admin/customers", 1);
        assertThat(ids(list("/admin/customers", "order", "updated_at", "limit", "5", "offset", "5"), "customers"))
                .doesNotContain(firstBefore);
        List<String> all = ids(list("/admin/customers", "order", "updated_at", "limit", "1000"), "customers");
        assertThat(all.get(all.size() - 1)).isEqualTo(firstBefore);
    }
}
