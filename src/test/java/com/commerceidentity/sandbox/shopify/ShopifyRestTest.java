package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ShopifyRestTest {

    static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"(previous|next)\"");
    static ShopifySimulator sim;
    static String api;

    @BeforeAll
    static void start() {
        sim = new ShopifySimulator(SandboxSettings.defaults().with("shopify.customers", "120")
                .with("shopify.bucketCapacity", "100000").with("shopify.leakPerSecond", "1000"));
        sim.start();
        api = sim.adminUrl("2025-07");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.faults().clear();
    }

    static HttpResponse<String> get(String url) {
        return Http.get(url, "X-Shopify-Access-Token", sim.accessToken());
    }

    @Test
    void missingTokenIsRejectedWithShopifyErrorBody() {
        HttpResponse<String> response = Http.get(api + "/customers.json");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Json.parse(response.body()).path("errors").asText())
                .isEqualTo("[API] Invalid API key or access token (unrecognized login or wrong password)");
    }

    @Test
    void bearerAuthorizationIsNotAccepted() {
        assertThat(Http.get(api + "/customers.json", "Authorization", "Bearer " + sim.accessToken()).statusCode()).isEqualTo(401);
    }

    @Test
    void wrongTokenIsRejected() {
        assertThat(Http.get(api + "/customers.json", "X-Shopify-Access-Token", "shpat_wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void listDefaultsToFiftyCustomersOrderedById() {
        JsonNode customers = Json.parse(get(api + "/customers.json").body()).path("customers");
        assertThat(customers).hasSize(50);
        List<Long> ids = new ArrayList<>();
        customers.forEach(c -> ids.add(c.get("id").asLong()));
        assertThat(ids).isSorted();
    }

    @Test
    void limitAbove250IsRejected() {
        HttpResponse<String> response = get(api + "/customers.json?limit=251");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.parse(response.body()).path("errors").has("limit")).isTrue();
    }

    @Test
    void limitBelowOneAndNonNumericAreRejected() {
        assertThat(get(api + "/customers.json?limit=0").statusCode()).isEqualTo(400);
        assertThat(get(api + "/customers.json?limit=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void limit250ReturnsEverythingOnOnePageWithoutLinkHeader() {
        HttpResponse<String> response = get(api + "/customers.json?limit=250");
        assertThat(Json.parse(response.body()).path("customers")).hasSize(120);
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void pagingFollowsNextLinksAndSeesEveryCustomerOnce() {
        List<Integer> sizes = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        String url = api + "/customers.json?limit=40";
        for (int page = 0; page < 10 && url != null; page++) {
            HttpResponse<String> response = get(url);
            JsonNode customers = Json.parse(response.body()).path("customers");
            sizes.add(customers.size());
            customers.forEach(c -> assertThat(seen.add(c.get("id").asLong())).isTrue());
            url = link(response, "next");
        }
        assertThat(sizes).containsExactly(40, 40, 40);
        assertThat(seen).hasSize(120);
    }

    @Test
    void lastPartialPageHasPreviousButNoNext() {
        HttpResponse<String> first = get(api + "/customers.json?limit=50");
        HttpResponse<String> second = get(link(first, "next"));
        HttpResponse<String> third = get(link(second, "next"));
        assertThat(Json.parse(third.body()).path("customers")).hasSize(20);
        assertThat(link(third, "next")).isNull();
        assertThat(link(third, "previous")).isNotNull();
        assertThat(link(first, "previous")).isNull();
    }

    @Test
    void linkHeaderCarriesOnlyPageInfoAndLimitInShopifyFormat() {
        HttpResponse<String> first = get(api + "/customers.json?limit=30&updated_at_min=2024-01-01T00:00:00-05:00&order=updated_at+asc");
        HttpResponse<String> second = get(link(first, "next"));
        String header = second.headers().firstValue("Link").orElseThrow();
        assertThat(header).matches("<" + Pattern.quote(api) + "/customers\\.json\\?page_info=[A-Za-z0-9_-]+&limit=30>; rel=\"previous\", "
                + "<" + Pattern.quote(api) + "/customers\\.json\\?page_info=[A-Za-z0-9_-]+&limit=30>; rel=\"next\"");
    }

    @Test
    void previousLinkReturnsTheEarlierPage() {
        HttpResponse<String> first = get(api + "/customers.json?limit=25");
        HttpResponse<String> second = get(link(first, "next"));
        HttpResponse<String> back = get(link(second, "previous"));
        assertThat(Json.parse(back.body()).path("customers")).isEqualTo(Json.parse(first.body()).path("customers"));
    }

    @Test
    void pageInfoCombinedWithFiltersIsRejected() {
        HttpResponse<String> first = get(api + "/customers.json?limit=10");
        String next = link(first, "next");
        HttpResponse<String> response = get(next + "&updated_at_min=2024-01-01");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.parse(response.body()).path("errors").path("updated_at_min").asText())
                .startsWith("updated_at_min cannot be passed when page_info is present");
    }

    @Test
    void pageInfoWithFieldsAndLimitIsAccepted() {
        String next = link(get(api + "/customers.json?limit=10&fields=id,email"), "next");
        assertThat(next).contains("fields=id%2Cemail");
        HttpResponse<String> response = get(next.replace("limit=10", "limit=5"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode customers = Json.parse(response.body()).path("customers");
        assertThat(customers).hasSize(5);
        assertThat(customers.get(0).size()).isEqualTo(2);
    }

    @Test
    void invalidPageInfoIsRejected() {
        assertThat(get(api + "/customers.json?page_info=not-a-cursor").statusCode()).isEqualTo(400);
    }

    @Test
    void cursorCarriesTheOriginalFiltersToLaterPages() {
        String min = "2025-01-01T00:00:00-05:00";
        String filtered = api + "/customers.json?limit=250&updated_at_min=" + min.replace("+", "%2B");
        int expected = Json.parse(get(filtered).body()).path("customers").size();
        assertThat(expected).isBetween(5, 115);
        Set<Long> seen = new HashSet<>();
        String url = api + "/customers.json?limit=7&order=updated_at%20asc&updated_at_min=" + min;
        String previousUpdated = "";
        for (int page = 0; page < 40 && url != null; page++) {
            HttpResponse<String> response = get(url);
            for (JsonNode c : Json.parse(response.body()).path("customers")) {
                seen.add(c.get("id").asLong());
                String updated = c.get("updated_at").asText();
                assertThat(CustomerQuery.parseTime("t", updated, java.time.ZoneOffset.UTC))
                        .isAfterOrEqualTo(CustomerQuery.parseTime("t", min, java.time.ZoneOffset.UTC));
                if (!previousUpdated.isEmpty()) {
                    assertThat(CustomerQuery.parseTime("t", updated, java.time.ZoneOffset.UTC))
                            .isAfterOrEqualTo(CustomerQuery.parseTime("t", previousUpdated, java.time.ZoneOffset.UTC));
                }
                previousUpdated = updated;
            }
            url = link(response, "next");
        }
        assertThat(seen).hasSize(expected);
    }

    @Test
    void pagingOnAndBackListsEveryMatchingCustomerOnceInTheOrderAsked() {
        List<ShopifyCustomer> all = sim.store.customers();
        String from = ShopifyCustomer.timestamp(all.get(30).updatedAt, java.time.ZoneOffset.UTC);
        String to = ShopifyCustomer.timestamp(all.get(90).updatedAt, java.time.ZoneOffset.UTC);
        List<java.util.Map<String, String>> filters = List.of(java.util.Map.of(),
                java.util.Map.of("updated_at_min", from), java.util.Map.of("updated_at_max", to),
                java.util.Map.of("created_at_min", from, "created_at_max", to),
                java.util.Map.of("since_id", Long.toString(all.get(40).id)));
        for (String order : List.of("id asc", "id desc", "updated_at asc", "updated_at desc", "created_at asc",
                "created_at desc")) {
            for (java.util.Map<String, String> filter : filters) {
                CustomerQuery query = new CustomerQuery(filter, order, sim.config.timezone);
                List<Long> expected = all.stream().filter(query::matches).sorted(query.comparator())
                        .map(c -> c.id).toList();
                StringBuilder url = new StringBuilder(api + "/customers.json?limit=7&order=" + order.replace(" ", "%20"));
                filter.forEach((k, v) -> url.append('&').append(k).append('=').append(v.replace("+", "%2B")));
                List<Long> onward = new ArrayList<>();
                List<List<Long>> pages = new ArrayList<>();
                HttpResponse<String> last = null;
                for (String next = url.toString(); next != null && pages.size() < 40; next = link(last, "next")) {
                    last = get(next);
                    List<Long> page = ids(last);
                    pages.add(page);
                    onward.addAll(page);
                }
                String what = order + " " + filter;
                assertThat(onward).as(what).isEqualTo(expected);
                List<Long> back = new ArrayList<>(pages.isEmpty() ? List.of() : pages.get(pages.size() - 1));
                for (String previous = link(last, "previous"); previous != null && back.size() <= expected.size();
                     previous = link(last, "previous")) {
                    last = get(previous);
                    back.addAll(0, ids(last));
                }
                assertThat(back).as(what + ", paged back from the last page").isEqualTo(expected);
            }
        }
    }

    private static List<Long> ids(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        Json.parse(response.body()).path("customers").forEach(c -> ids.add(c.get("id").asLong()));
        return ids;
    }

    @Test
    void singleCustomerIsFoundAndUnknownIdIs404() {
        long id = Json.parse(get(api + "/customers.json?limit=1").body()).path("customers").get(0).get("id").asLong();
        HttpResponse<String> found = get(api + "/customers/" + id + ".json");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(Json.parse(found.body()).path("customer").path("id").asLong()).isEqualTo(id);
        HttpResponse<String> missing = get(api + "/customers/1.json");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.parse(missing.body()).path("errors").asText()).isEqualTo("Not Found");
    }

    @Test
    void searchByEmailIgnoresCase() {
        JsonNode first = firstCustomerWithEmail();
        String email = first.get("email").asText();
        HttpResponse<String> response = get(api + "/customers/search.json?query=email:" + email.toUpperCase());
        assertThat(Json.parse(response.body()).path("customers")).extracting(c -> c.get("id").asLong()).contains(first.get("id").asLong());
        assertThat(response.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void searchLimitIsBounded() {
        assertThat(get(api + "/customers/search.json?query=state:enabled&limit=251").statusCode()).isEqualTo(400);
        assertThat(Json.parse(get(api + "/customers/search.json?query=state:enabled&limit=3").body()).path("customers")).hasSize(3);
    }

    @Test
    void countHonoursFilters() {
        assertThat(Json.parse(get(api + "/customers/count.json").body()).path("count").asInt()).isEqualTo(120);
        assertThat(Json.parse(get(api + "/customers/count.json?updated_at_min=2030-01-01").body()).path("count").asInt()).isZero();
    }

    @Test
    void idsAbove2Pow53SurviveARoundTripExactly() throws Exception {
        String body = get(api + "/customers.json?limit=5").body();
        Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(body);
        assertThat(m.find()).isTrue();
        String rawId = m.group(1);
        assertThat(new BigInteger(rawId)).isGreaterThan(BigInteger.TWO.pow(53));
        JsonNode parsed = new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).readTree(body);
        assertThat(parsed.path("customers").get(0).get("id").bigIntegerValue().toString()).isEqualTo(rawId);
        assertThat(BigInteger.valueOf((long) Double.parseDouble(rawId)).toString()).isNotEqualTo(rawId);
        HttpResponse<String> single = get(api + "/customers/" + rawId + ".json");
        assertThat(single.body()).contains("\"id\":" + rawId + ",").contains("gid://shopify/Customer/" + rawId);
    }

    @Test
    void customerShapeFollowsRestAdmin2025() {
        JsonNode c = Json.parse(get(api + "/customers.json?limit=1").body()).path("customers").get(0);
        assertThat(c.fieldNames()).toIterable().contains("id", "email", "first_name", "last_name", "phone", "state",
                "created_at", "updated_at", "verified_email", "tags", "currency", "addresses", "admin_graphql_api_id");
        assertThat(c.get("state").asText()).isIn("enabled", "disabled", "invited", "declined");
        assertThat(c.get("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}-0[45]:00");
    }

    @Test
    void phonesAreStoredInE164() {
        for (JsonNode c : Json.parse(get(api + "/customers.json?limit=250").body()).path("customers")) {
            if (!c.get("phone").isNull()) {
                assertThat(c.get("phone").asText()).matches("\\+\\d{8,15}");
            }
        }
    }

    @Test
    void fieldsParameterSelectsFields() {
        JsonNode c = Json.parse(get(api + "/customers.json?limit=1&fields=id,%20email").body()).path("customers").get(0);
        assertThat(c.fieldNames()).toIterable().containsExactly("id", "email");
    }

    @Test
    void emptyPageFaultReturnsNoCustomersButKeepsTheNextLink() {
        sim.faults().add(FaultType.EMPTY_PAGE, "*/customers.json", 1);
        HttpResponse<String> response = get(api + "/customers.json?limit=10");
        assertThat(Json.parse(response.body()).path("customers")).isEmpty();
        assertThat(link(response, "next")).isNotNull();
    }

    @Test
    void moveRecordFaultPushesAnEarlierRecordToTheEndOfAnUpdatedAtOrder() {
        ShopifySimulator own = new ShopifySimulator(SandboxSettings.defaults().with("shopify.customers", "30"));
        own.start();
        try {
            String url = own.adminUrl("2025-07") + "/customers.json?limit=10&order=updated_at%20asc";
            HttpResponse<String> first = Http.get(url, "X-Shopify-Access-Token", own.accessToken());
            long firstId = Json.parse(first.body()).path("customers").get(0).get("id").asLong();
            own.faults().add(FaultType.MOVE_RECORD, "*/customers.json", 1);
            List<Long> rest = new ArrayList<>();
            String next = link(first, "next");
            for (int i = 0; i < 10 && next != null; i++) {
                HttpResponse<String> page = Http.get(next, "X-Shopify-Access-Token", own.accessToken());
                Json.parse(page.body()).path("customers").forEach(c -> rest.add(c.get("id").asLong()));
                next = link(page, "next");
            }
            assertThat(rest).endsWith(firstId);
            assertThat(rest).hasSize(21);
        } finally {
            own.close();
        }
    }

    @Test
    void unknownApiVersionFormatIs404() {
        assertThat(get(sim.baseUrl() + "/admin/api/latest/customers.json").statusCode()).isEqualTo(404);
    }

    private static JsonNode firstCustomerWithEmail() {
        for (JsonNode c : Json.parse(get(api + "/customers.json?limit=50").body()).path("customers")) {
            if (!c.get("email").isNull()) {
                return c;
            }
        }
        throw new AssertionError("no customer with email");
    }

    static String link(HttpResponse<String> response, String rel) {
        String header = response.headers().firstValue("Link").orElse("");
        Matcher m = LINK.matcher(header);
        while (m.find()) {
            if (m.group(2).equals(rel)) {
                return m.group(1);
            }
        }
        return null;
    }
}
