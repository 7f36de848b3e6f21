package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BigCommerceCustomersTest {

    static BigCommerceSimulator sim;

    @BeforeAll
    static void start() {
        sim = new BigCommerceSimulator(SandboxSettings.defaults().with("bigcommerce.customers", "120")
                .with("bigcommerce.quota", "100000"));
        sim.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.faults().clear();
    }

    static HttpResponse<String> get(String pathAndQuery) {
        return Http.get(sim.apiUrl() + pathAndQuery, "X-Auth-Token", sim.accessToken());
    }

    static HttpResponse<String> post(String body) {
        return Http.post(sim.apiUrl() + "/customers", body, "X-Auth-Token", sim.accessToken());
    }

    static HttpResponse<String> put(String body) {
        return Http.put(sim.apiUrl() + "/customers", body, "X-Auth-Token", sim.accessToken());
    }

    @Test
    void missingOrWrongAuthTokenIs401() {
        assertThat(Http.get(sim.apiUrl() + "/customers").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = Http.get(sim.apiUrl() + "/customers", "X-Auth-Token", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Json.parse(wrong.body()).path("status").asInt()).isEqualTo(401);
        assertThat(Http.get(sim.apiUrl() + "/customers", "Authorization", "Bearer " + sim.accessToken()).statusCode()).isEqualTo(401);
    }

    @Test
    void unknownStoreHashIs404() {
        assertThat(Http.get(sim.baseUrl() + "/stores/other/v3/customers", "X-Auth-Token", sim.accessToken()).statusCode()).isEqualTo(404);
    }

    @Test
    void firstPageHasDefaultLimitAndBothPaginationBlocks() {
        JsonNode body = Json.parse(get("/customers").body());
        assertThat(body.path("data")).hasSize(50);
        JsonNode p = body.at("/meta/pagination");
        assertThat(p.path("total").asInt()).isEqualTo(120);
        assertThat(p.path("count").asInt()).isEqualTo(50);
        assertThat(p.path("per_page").asInt()).isEqualTo(50);
        assertThat(p.path("current_page").asInt()).isEqualTo(1);
        assertThat(p.path("total_pages").asInt()).isEqualTo(3);
        assertThat(p.at("/links/current").asText()).isEqualTo("?page=1&limit=50");
        assertThat(p.at("/links/next").asText()).isEqualTo("?page=2&limit=50");
        assertThat(p.at("/links").has("previous")).isFalse();
        assertThat(body.at("/meta/cursor_pagination/end_cursor").asText()).isNotBlank();
    }

    @Test
    void laterPagesCarryOnlyOffsetPagination() {
        JsonNode body = Json.parse(get("/customers?page=2").body());
        assertThat(body.at("/meta/pagination/links/previous").asText()).isEqualTo("?page=1&limit=50");
        assertThat(body.at("/meta").has("cursor_pagination")).isFalse();
    }

    @Test
    void exactPageBoundariesEndWithAFullLastPage() {
        List<Integer> counts = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode body = Json.parse(get("/customers?limit=40&page=" + page).body());
            counts.add(body.path("data").size());
            body.path("data").forEach(c -> assertThat(ids.add(c.get("id").asInt())).isTrue());
            assertThat(body.at("/meta/pagination/links").has("next")).isEqualTo(page < 3);
        }
        assertThat(counts).containsExactly(40, 40, 40);
        JsonNode beyond = Json.parse(get("/customers?limit=40&page=4").body());
        assertThat(beyond.path("data")).isEmpty();
        assertThat(beyond.at("/meta/pagination/total").asInt()).isEqualTo(120);
    }

    @Test
    void limitAbove250IsCappedAt250() {
        JsonNode body = Json.parse(get("/customers?limit=500").body());
        assertThat(body.at("/meta/pagination/per_page").asInt()).isEqualTo(250);
        assertThat(body.path("data")).hasSize(120);
    }

    @Test
    void invalidLimitOrPageIs422() {
        assertThat(get("/customers?limit=abc").statusCode()).isEqualTo(422);
        assertThat(get("/customers?page=0").statusCode()).isEqualTo(422);
    }

    @Test
    void idInFilterSelectsThoseCustomers() {
        JsonNode body = Json.parse(get("/customers?id:in=3,5,7").body());
        assertThat(body.path("data")).extracting(c -> c.get("id").asInt()).containsExactly(3, 5, 7);
    }

    @Test
    void emailInFilterIgnoresCase() {
        JsonNode first = Json.parse(get("/customers?limit=1").body()).path("data").get(0);
        String email = first.get("email").asText();
        JsonNode body = Json.parse(get("/customers?email:in=" + URLEncoder.encode(email.toUpperCase(), StandardCharsets.UTF_8)).body());
        assertThat(body.path("data")).extracting(c -> c.get("id").asInt()).containsExactly(first.get("id").asInt());
    }

    @Test
    void dateModifiedMinIsInclusiveAndSortedAscending() {
        List<JsonNode> all = new ArrayList<>();
        Json.parse(get("/customers?limit=250&sort=date_modified:asc").body()).path("data").forEach(all::add);
        String pivot = all.get(60).get("date_modified").asText();
        JsonNode body = Json.parse(get("/customers?limit=250&sort=date_modified:asc&date_modified:min=" + pivot).body());
        List<Instant> dates = new ArrayList<>();
        body.path("data").forEach(c -> dates.add(Instant.parse(c.get("date_modified").asText())));
        assertThat(dates).isSorted().allMatch(d -> !d.isBefore(Instant.parse(pivot)));
        long expected = all.stream().filter(c -> !Instant.parse(c.get("date_modified").asText()).isBefore(Instant.parse(pivot))).count();
        assertThat(dates).hasSize((int) expected);
    }

    @Test
    void invalidSortIs422() {
        HttpResponse<String> response = get("/customers?sort=email:asc");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(Json.parse(response.body()).path("errors").has("sort")).isTrue();
    }

    @Test
    void afterCursorWalksForwardWithoutGapsOrRepeats() {
        Set<Integer> ids = new HashSet<>();
        JsonNode body = Json.parse(get("/customers?limit=50&sort=date_modified:asc").body());
        body.path("data").forEach(c -> ids.add(c.get("id").asInt()));
        String after = body.at("/meta/cursor_pagination/end_cursor").asText();
        for (int i = 0; i < 5 && !after.isEmpty(); i++) {
            JsonNode next = Json.parse(get("/customers?limit=50&sort=date_modified:asc&after="
                    + URLEncoder.encode(after, StandardCharsets.UTF_8)).body());
            assertThat(next.at("/meta").has("pagination")).isFalse();
            next.path("data").forEach(c -> assertThat(ids.add(c.get("id").asInt())).isTrue());
            after = next.at("/meta/cursor_pagination/links").has("next") ? next.at("/meta/cursor_pagination/end_cursor").asText() : "";
        }
        assertThat(ids).hasSize(120);
    }

    @Test
    void postBodyMustBeAnArray() {
        HttpResponse<String> response = post("{\"email\":\"a@example.com\",\"first_name\":\"A\",\"last_name\":\"B\"}");
        assertThat(response.statusCode()).isEqualTo(422);
    }

    @Test
    void postOfMoreThanTenCustomersIs413() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 11; i++) {
            body.append(i == 0 ? "" : ",").append("{\"email\":\"bulk").append(i).append("@example.com\",\"first_name\":\"B\",\"last_name\":\"K\"}");
        }
        assertThat(post(body.append("]").toString()).statusCode()).isEqualTo(413);
    }

    @Test
    void postWithMissingRequiredFieldsIs422WithErrorResponse() {
        HttpResponse<String> response = post("[{\"email\":\"x@example.com\"}]");
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = Json.parse(response.body());
        assertThat(error.path("status").asInt()).isEqualTo(422);
        assertThat(error.path("title").asText()).isEqualTo("Create customers failed.");
        assertThat(error.path("type").asText()).isEqualTo("/api-docs/getting-started/api-status-codes");
        assertThat(error.path("errors").has("0.first_name")).isTrue();
    }

    @Test
    void postCreatesCustomersAndRejectsDuplicateEmails() {
        HttpResponse<String> created = post("[{\"email\":\"New.Person@Example.com\",\"first_name\":\"New\",\"last_name\":\"Person\",\"phone\":\"(415) 555 0199\"}]");
        assertThat(created.statusCode()).isEqualTo(200);
        JsonNode c = Json.parse(created.body()).path("data").get(0);
        assertThat(c.get("id").isInt()).isTrue();
        assertThat(c.get("phone").asText()).isEqualTo("(415) 555 0199");
        assertThat(c.get("date_created").asText()).isEqualTo(c.get("date_modified").asText());
        assertThat(post("[{\"email\":\"new.person@example.com\",\"first_name\":\"N\",\"last_name\":\"P\"}]").statusCode()).isEqualTo(422);
        // other tests in this class count on the 120 seeded customers
        assertThat(sim.records().delete("customer", c.get("id").asText())).isTrue();
    }

    @Test
    void putUpdatesAndBumpsDateModified() {
        int id = 9;
        HttpResponse<String> response = put("[{\"id\":" + id + ",\"notes\":\"vip\",\"date_modified\":\"2001-01-01T00:00:00Z\"}]");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode c = Json.parse(response.body()).path("data").get(0);
        assertThat(c.get("notes").asText()).isEqualTo("vip");
        assertThat(Instant.parse(c.get("date_modified").asText())).isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void putWithoutIdOrWithUnknownIdIs422() {
        assertThat(put("[{\"notes\":\"x\"}]").statusCode()).isEqualTo(422);
        assertThat(put("[{\"id\":999999,\"notes\":\"x\"}]").statusCode()).isEqualTo(422);
    }

    @Test
    void deleteWithoutIdInChangesNothing() {
        int before = Json.parse(get("/customers?limit=1").body()).at("/meta/pagination/total").asInt();
        assertThat(Http.delete(sim.apiUrl() + "/customers", "X-Auth-Token", sim.accessToken()).statusCode()).isEqualTo(204);
        assertThat(Json.parse(get("/customers?limit=1").body()).at("/meta/pagination/total").asInt()).isEqualTo(before);
    }

    @Test
    void deleteWithIdInRemovesCustomersAndRejectsGarbage() {
        HttpResponse<String> created = post("[{\"email\":\"gone@example.com\",\"first_name\":\"Gone\",\"last_name\":\"Soon\"}]");
        int id = Json.parse(created.body()).path("data").get(0).get("id").asInt();
        assertThat(Http.delete(sim.apiUrl() + "/customers?id:in=" + id, "X-Auth-Token", sim.accessToken()).statusCode()).isEqualTo(204);
        assertThat(Json.parse(get("/customers?id:in=" + id).body()).path("data")).isEmpty();
        assertThat(Http.delete(sim.apiUrl() + "/customers?id:in=abc", "X-Auth-Token", sim.accessToken()).statusCode()).isEqualTo(422);
    }

    @Test
    void thereIsNoSingleCustomerGet() {
        assertThat(get("/customers/1").statusCode()).isEqualTo(404);
    }

    @Test
    void customerShapeFollowsCustomerFull() {
        JsonNode c = Json.parse(get("/customers?limit=1").body()).path("data").get(0);
        assertThat(c.fieldNames()).toIterable().contains("id", "email", "first_name", "last_name", "company", "phone",
                "date_created", "date_modified", "registration_ip_address", "customer_group_id", "notes",
                "tax_exempt_category", "accepts_product_review_abandoned_cart_emails", "channel_ids");
        assertThat(c.get("date_modified").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    }

    @Test
    void moveRecordFaultMakesAnOffsetPagingClientSkipACustomer() {
        BigCommerceSimulator own = new BigCommerceSimulator(SandboxSettings.defaults().with("bigcommerce.customers", "30"));
        own.start();
        try {
            Set<Integer> seen = new HashSet<>();
            for (int page = 1; page <= 3; page++) {
                if (page == 2) {
                    own.faults().add(FaultType.MOVE_RECORD, "*/customers", 1);
                }
                JsonNode body = Json.parse(Http.get(own.apiUrl() + "/customers?limit=10&sort=date_modified:asc&page=" + page,
                        "X-Auth-Token", own.accessToken()).body());
                body.path("data").forEach(c -> seen.add(c.get("id").asInt()));
            }
            assertThat(seen).hasSize(29);
        } finally {
            own.close();
        }
    }

    @Test
    void emptyPageFaultKeepsPaginationMeta() {
        sim.faults().add(FaultType.EMPTY_PAGE, "*/customers", 1);
        JsonNode body = Json.parse(get("/customers?limit=10").body());
        assertThat(body.path("data")).isEmpty();
        assertThat(body.at("/meta/pagination/total").asInt()).isGreaterThan(10);
    }

    @Test
    void serverErrorFaultUsesBigCommerceErrorShape() {
        sim.faults().add(FaultType.SERVER_ERROR, "GET", "*/customers", 1, 0, 503);
        HttpResponse<String> response = get("/customers");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Json.parse(response.body()).path("title").asText()).isEqualTo("Service Unavailable");
    }
}
