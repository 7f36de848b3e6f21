package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WooCommerceCustomersTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    static WooCommerceSimulator sim;

    @BeforeAll
    static void start() {
        sim = new WooCommerceSimulator(SandboxSettings.defaults(), CLOCK);
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

    static String basic(WooCommerceSimulator s) {
        return "Basic " + Base64.getEncoder().encodeToString((s.consumerKey() + ":" + s.consumerSecret()).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(String pathAndQuery) {
        return Http.get(sim.apiUrl() + pathAndQuery, "Authorization", basic(sim));
    }

    static int customersWithRole(String role) {
        return sim.store.all(u -> role == null || u.hasRole(role)).size();
    }

    static List<Integer> ids(HttpResponse<String> response) {
        List<Integer> ids = new ArrayList<>();
        Json.parse(response.body()).forEach(c -> ids.add(c.path("id").asInt()));
        return ids;
    }

    @Test
    void firstPageHasTenCustomersTotalsAndOnlyANextLink() {
        HttpResponse<String> first = get("/customers");
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(first.body());
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(10);
        int total = customersWithRole("customer");
        assertThat(first.headers().firstValue("X-WP-Total")).hasValue(String.valueOf(total));
        assertThat(first.headers().firstValue("X-WP-TotalPages")).hasValue(String.valueOf((total + 9) / 10));
        assertThat(first.headers().allValues("Link")).containsExactly("<" + sim.apiUrl() + "/customers?page=2>; rel=\"next\"");
        body.forEach(c -> assertThat(c.path("_links").path("self").get(0).path("href").asText())
                .isEqualTo(sim.apiUrl() + "/customers/" + c.path("id").asInt()));
    }

    @Test
    void linkHeaderMatchesTheDocumentedShapeForAMiddlePage() {
        // 238 customers + 12 staff = 250 users, the documented example's X-WP-Total
        WooCommerceSimulator shop = new WooCommerceSimulator(SandboxSettings.defaults().with("woocommerce.customers", "238"), CLOCK);
        shop.start();
        try {
            JsonNode example = Specs.json("rest-examples.json").path("customers_list_response_headers");
            String query = "?per_page=100&page=2&role=all&orderby=id&order=asc";
            HttpResponse<String> page = Http.get(shop.apiUrl() + "/customers" + query, "Authorization", basic(shop));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(Json.parse(page.body())).hasSize(100);
            assertThat(page.headers().firstValue("X-WP-Total")).hasValue(example.at("/headers/X-WP-Total").asText());
            assertThat(page.headers().firstValue("X-WP-TotalPages")).hasValue(example.at("/headers/X-WP-TotalPages").asText());
            assertThat(page.headers().allValues("Link")).containsExactly(example.at("/headers/Link").asText()
                    .replace("https://shop.example.com", shop.baseUrl()));
            assertThat(ids(page).get(0)).isEqualTo(101);
        } finally {
            shop.close();
        }
    }

    @Test
    void singlePageListKeepsTheApiDiscoveryLink() {
        HttpResponse<String> admins = get("/customers?role=administrator");
        assertThat(admins.headers().allValues("Link")).containsExactly("<" + sim.baseUrl() + "/wp-json/>; rel=\"https://api.w.org/\"");
    }

    @Test
    void pageBeyondTheEndIsEmptyWithTheRealTotalAndAClampedPrevLink() {
        int total = customersWithRole("customer");
        int pages = (total + 19) / 20;
        HttpResponse<String> beyond = get("/customers?per_page=20&page=" + (pages + 5));
        assertThat(beyond.statusCode()).isEqualTo(200);
        assertThat(Json.parse(beyond.body())).isEmpty();
        assertThat(beyond.headers().firstValue("X-WP-Total")).hasValue(String.valueOf(total));
        assertThat(beyond.headers().allValues("Link")).containsExactly(
                "<" + sim.apiUrl() + "/customers?per_page=20&page=" + pages + ">; rel=\"prev\"");
    }

    @Test
    void pagingWalksEveryCustomerOnceInIdOrder() {
        Set<Integer> seen = new HashSet<>();
        List<Integer> order = new ArrayList<>();
        for (int page = 1; page <= 20; page++) {
            HttpResponse<String> response = get("/customers?orderby=id&per_page=25&page=" + page);
            List<Integer> ids = ids(response);
            if (ids.isEmpty()) {
                break;
            }
            ids.forEach(id -> assertThat(seen.add(id)).isTrue());
            order.addAll(ids);
        }
        assertThat(seen).hasSize(customersWithRole("customer"));
        assertThat(order).isSorted();
    }

    @Test
    void perPageOutsideOneToHundredIsRestInvalidParamNotClamped() {
        HttpResponse<String> tooMany = get("/customers?per_page=500");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(Json.parse(tooMany.body())).isEqualTo(Specs.json("rest-examples.json").at("/errors/per_page_out_of_range/body"));
        assertThat(get("/customers?per_page=101").statusCode()).isEqualTo(400);
        assertThat(get("/customers?per_page=0").statusCode()).isEqualTo(400);
        assertThat(Json.parse(get("/customers?per_page=100").body())).hasSize(100);
        JsonNode notInteger = Json.parse(get("/customers?per_page=abc").body());
        assertThat(notInteger.at("/data/details/per_page/code").asText()).isEqualTo("rest_invalid_type");
        assertThat(notInteger.at("/data/params/per_page").asText()).isEqualTo("per_page is not of type integer.");
        JsonNode two = Json.parse(get("/customers?role=staff&per_page=500&order=up").body());
        assertThat(two.path("message").asText()).isEqualTo("Invalid parameter(s): per_page, order, role");
    }

    @Test
    void unknownRoleAndBadEmailAreRejectedWithWordPressMessages() {
        HttpResponse<String> role = get("/customers?role=staff");
        assertThat(role.statusCode()).isEqualTo(400);
        assertThat(Json.parse(role.body())).isEqualTo(Specs.json("rest-examples.json").at("/errors/role_not_in_enum/body"));
        JsonNode email = Json.parse(get("/customers?email=not-an-email").body());
        assertThat(email.at("/data/details/email/code").asText()).isEqualTo("rest_invalid_email");
    }

    @Test
    void defaultRoleIsCustomerAndStaffAreListedByRole() {
        JsonNode admins = Json.parse(get("/customers?role=administrator&per_page=100").body());
        assertThat(admins).isNotEmpty();
        admins.forEach(a -> assertThat(a.path("role").asText()).isEqualTo("administrator"));
        assertThat(ids(get("/customers?role=administrator&per_page=100"))).contains(1);
        JsonNode managers = Json.parse(get("/customers?role=shop_manager&per_page=100").body());
        assertThat(managers).isNotEmpty();
        managers.forEach(m -> assertThat(m.path("role").asText()).isEqualTo("shop_manager"));
        assertThat(admins.size() + managers.size()).isEqualTo(12);

        List<Integer> customers = new ArrayList<>();
        for (int page = 1; page <= 2; page++) {
            customers.addAll(ids(get("/customers?per_page=100&page=" + page)));
        }
        assertThat(customers).doesNotContain(1).hasSize(customersWithRole("customer"));
        // a shop manager who also has the customer role is listed with the customers, reported by roles[0]
        Set<Integer> managerIds = new HashSet<>();
        managers.forEach(m -> managerIds.add(m.path("id").asInt()));
        assertThat(customers.stream().filter(managerIds::contains)).hasSize(1);
        assertThat(get("/customers?role=all&per_page=1").headers().firstValue("X-WP-Total"))
                .hasValue(String.valueOf(customersWithRole(null)));
        assertThat(get("/customers?role=subscriber&per_page=1").headers().firstValue("X-WP-Total"))
                .hasValue(String.valueOf(customersWithRole("subscriber")));
    }

    @Test
    void getByIdServesAnyRoleAndUnknownIdsAnswerWooCommerceErrors() {
        JsonNode admin = Json.parse(get("/customers/1").body());
        assertThat(admin.path("role").asText()).isEqualTo("administrator");
        HttpResponse<String> unknown = get("/customers/999999");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body())).isEqualTo(Specs.json("rest-examples.json").at("/errors/unknown_customer_id/body"));
        HttpResponse<String> notDigits = get("/customers/abc");
        assertThat(notDigits.statusCode()).isEqualTo(404);
        assertThat(Json.parse(notDigits.body())).isEqualTo(Specs.json("rest-examples.json").at("/errors/no_route/body"));
    }

    @Test
    void ordersByIdNameAndRegistrationBothWays() {
        assertThat(ids(get("/customers?orderby=id&order=desc&per_page=50"))).isSortedAccordingTo((a, b) -> b - a);
        JsonNode byName = Json.parse(get("/customers?per_page=100").body());
        List<String> names = new ArrayList<>();
        byName.forEach(c -> names.add(sim.store.get(c.path("id").asInt()).orElseThrow().sortName()));
        assertThat(names).isSorted();
        JsonNode byDate = Json.parse(get("/customers?orderby=registered_date&order=desc&per_page=100").body());
        List<String> dates = new ArrayList<>();
        byDate.forEach(c -> dates.add(c.path("date_created_gmt").asText()));
        assertThat(dates).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(ids(get("/customers?include=30,12,25&orderby=include"))).containsExactly(30, 12, 25);
        assertThat(ids(get("/customers?include[]=30&include[]=12&orderby=id"))).containsExactly(12, 30);
    }

    @Test
    void emailIsExactSearchIsContainsAndModifiedAfterIsIgnored() {
        JsonNode some = Json.parse(get("/customers?orderby=id&per_page=1&page=7").body()).get(0);
        String email = some.path("email").asText();
        assertThat(ids(get("/customers?email=" + email.toUpperCase()))).containsExactly(some.path("id").asInt());
        assertThat(ids(get("/customers?email=" + email.substring(1)))).isEmpty();
        String lastName = some.path("last_name").asText();
        String term = lastName.substring(0, Math.min(4, lastName.length())).replace(" ", "%20");
        assertThat(ids(get("/customers?per_page=100&search=" + term))).isNotEmpty();
        String total = get("/customers").headers().firstValue("X-WP-Total").orElseThrow();
        assertThat(get("/customers?modified_after=2030-01-01T00:00:00").headers().firstValue("X-WP-Total")).hasValue(total);
        assertThat(ids(get("/customers?exclude=" + some.path("id").asInt() + "&per_page=100&orderby=id")))
                .doesNotContain(some.path("id").asInt());
        List<Integer> third = ids(get("/customers?orderby=id&per_page=10&offset=20"));
        assertThat(third).isEqualTo(ids(get("/customers?orderby=id&per_page=10&page=3")));
    }

    @Test
    void customerJsonFollowsTheDocumentedFieldOrderAndDateRules() {
        JsonNode c = Json.parse(get("/customers?orderby=id&per_page=1").body()).get(0);
        List<String> fields = new ArrayList<>();
        c.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt",
                "email", "first_name", "last_name", "role", "username", "billing", "shipping", "is_paying_customer",
                "avatar_url", "meta_data", "_links");
        assertThat(c.path("date_created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        // a stock site's time zone is UTC+0
        assertThat(c.path("date_created").asText()).isEqualTo(c.path("date_created_gmt").asText());
        assertThat(sim.store.all(u -> u.lastUpdate == null)).isNotEmpty();
        String body = get("/customers/" + c.path("id").asInt()).body();
        assertThat(body).contains("https:\\/\\/secure.gravatar.com");
    }

    @Test
    void fieldsParameterTrimsItemsAndDropsLinksUnlessAsked() {
        JsonNode trimmed = Json.parse(get("/customers?_fields=id,email,billing.phone&per_page=3").body());
        assertThat(trimmed).hasSize(3);
        trimmed.forEach(c -> {
            List<String> names = new ArrayList<>();
            c.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("id", "email", "billing");
            assertThat(c.path("billing").size()).isEqualTo(1);
        });
        assertThat(Json.parse(get("/customers/1?_fields=id,_links").body()).has("_links")).isTrue();
    }

    @Test
    void deleteNeedsForceRefusesStaffAndHardDeletes() {
        int victim = ids(get("/customers?orderby=id&per_page=1&page=3")).get(0);
        HttpResponse<String> trash = Http.delete(sim.apiUrl() + "/customers/" + victim, "Authorization", basic(sim));
        assertThat(trash.statusCode()).isEqualTo(501);
        assertThat(Json.parse(trash.body())).isEqualTo(Specs.json("rest-examples.json").at("/errors/delete_without_force/body"));
        HttpResponse<String> admin = Http.delete(sim.apiUrl() + "/customers/1?force=true", "Authorization", basic(sim));
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(Json.parse(admin.body())).isEqualTo(Specs.json("rest-examples.json").at("/errors/delete_staff_user/body"));
        int before = customersWithRole("customer");
        HttpResponse<String> deleted = Http.delete(sim.apiUrl() + "/customers/" + victim + "?force=true", "Authorization", basic(sim));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(Json.parse(deleted.body()).path("id").asInt()).isEqualTo(victim);
        assertThat(get("/customers/" + victim).statusCode()).isEqualTo(404);
        assertThat(get("/customers").headers().firstValue("X-WP-Total")).hasValue(String.valueOf(before - 1));
    }

    @Test
    void listFaultsApply() {
        sim.faults().add(FaultType.EMPTY_PAGE, "/wp-json/wc/v3/customers", 1);
        HttpResponse<String> empty = get("/customers");
        assertThat(Json.parse(empty.body())).isEmpty();
        assertThat(empty.headers().firstValue("X-WP-Total")).isPresent();
        sim.faults().add(FaultType.SERVER_ERROR, "GET", "/wp-json/wc/v3/customers", 1, 0, 500);
        HttpResponse<String> fatal = get("/customers");
        assertThat(fatal.statusCode()).isEqualTo(500);
        assertThat(Json.parse(fatal.body()).path("code").asText()).isEqualTo("internal_server_error");
        assertThat(get("/customers").statusCode()).isEqualTo(200);
    }

    @Test
    void siteTimeZoneShiftsLocalDatesOnly() {
        WooCommerceSimulator shop = new WooCommerceSimulator(SandboxSettings.defaults().with("woocommerce.customers", "3")
                .with("woocommerce.timezone", "America/Sao_Paulo"), CLOCK);
        shop.start();
        try {
            JsonNode c = Json.parse(Http.get(shop.apiUrl() + "/customers/1", "Authorization", basic(shop)).body());
            Instant gmt = Instant.parse(c.path("date_created_gmt").asText() + "Z");
            assertThat(c.path("date_created").asText()).isEqualTo(java.time.LocalDateTime.ofInstant(gmt,
                    java.time.ZoneId.of("America/Sao_Paulo")).toString().substring(0, 19));
        } finally {
            shop.close();
        }
    }
}
