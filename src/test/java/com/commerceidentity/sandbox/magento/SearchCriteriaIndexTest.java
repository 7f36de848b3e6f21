package com.commerceidentity.sandbox.magento;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OrderedIndex;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The indexed search answers exactly what filtering and sorting every row answers (the full scan the admin-users
 * list still uses): same rows in the same order (equal timestamps by id), same {@code total_count}, the same
 * clamped last page, also after updates move rows within an order.
 */
class SearchCriteriaIndexTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Instant BASE = Instant.parse("2024-05-14T09:00:00Z");
    private static final Integer[][] PAGINGS = {{null, null}, {20, 1}, {20, 3}, {20, 99}};
    private final Random random = new Random(3);
    private final Random pagings = new Random(5);
    private final List<ObjectNode> rows = new ArrayList<>();
    private final Map<String, OrderedIndex<ObjectNode>> orders = new LinkedHashMap<>();

    @Test
    void indexedSearchMatchesAFullScanIncludingTiesAndMovedRows() {
        for (int id = 1; id <= 250; id++) {
            ObjectNode r = Json.object().put("id", id).put("email", "p" + random.nextInt(40) + "@example.com")
                    .put("website_id", random.nextInt(4) == 3 ? 2 : 1)
                    .put("created_at", TIME.format(BASE.plusSeconds(random.nextInt(25))))
                    .put("updated_at", TIME.format(BASE.plusSeconds(random.nextInt(40))));
            rows.add(r);
        }
        for (String field : SearchCriteria.INDEXED_FIELDS) {
            for (boolean ascending : List.of(true, false)) {
                orders.put(SearchCriteria.orderKey(field, ascending), new OrderedIndex<>(SearchCriteria.order(field, ascending)));
            }
        }
        orders.values().forEach(index -> index.addAll(rows));
        int compared = checkAll();

        for (int i = 0; i < 30; i++) {
            ObjectNode old = rows.get(random.nextInt(rows.size()));
            ObjectNode moved = old.deepCopy().put("updated_at", TIME.format(BASE.plusSeconds(60 + random.nextInt(3))));
            orders.values().forEach(index -> assertThat(index.remove(old)).isTrue());
            rows.set(rows.indexOf(old), moved);
            orders.values().forEach(index -> index.add(moved));
        }
        compared += checkAll();
        assertThat(compared).isGreaterThan(1000);
    }

    private int checkAll() {
        int n = 0;
        List<String> pivots = List.of(TIME.format(BASE.plusSeconds(12)), "2024-05-14 09:00:20.5", "2024-05-14", "2024-05-14T09:00:10");
        List<List<String>> sorts = List.of(List.of(), List.of("updated_at", "ASC"), List.of("updated_at", "DESC"),
                List.of("created_at", "ASC"), List.of("created_at", "desc"), List.of("id", "DESC"), List.of("email", "ASC"),
                List.of("updated_at", "ASC", "email", "DESC"));
        for (List<String> sort : sorts) {
            for (String field : List.of("updated_at", "created_at")) {
                for (String condition : List.of("", "gteq", "gt", "lt", "lteq", "eq", "from", "to", "moreq", "neq", "like")) {
                    for (String pivot : condition.isEmpty() ? List.of("") : pivots) {
                        for (boolean websiteFilter : List.of(false, true)) {
                            // one paging of the four per case, drawn: every paging still meets every other
                            // dimension across the cases, at a quarter of the full product's time
                            Integer[] paging = PAGINGS[pagings.nextInt(PAGINGS.length)];
                            check(sort, field, condition, pivot, websiteFilter, paging[0], paging[1]);
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    private void check(List<String> sort, String field, String condition, String pivot, boolean websiteFilter,
                       Integer pageSize, Integer currentPage) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("searchCriteria", List.of(""));
        for (int i = 0; i + 1 < sort.size(); i += 2) {
            params.put("searchCriteria[sortOrders][" + i + "][field]", List.of(sort.get(i)));
            params.put("searchCriteria[sortOrders][" + i + "][direction]", List.of(sort.get(i + 1)));
        }
        if (!condition.isEmpty()) {
            String f = "searchCriteria[filter_groups][0][filters][0]";
            params.put(f + "[field]", List.of(field));
            params.put(f + "[value]", List.of(condition.equals("like") ? pivot.substring(0, 10) + "%" : pivot));
            params.put(f + "[condition_type]", List.of(condition));
        }
        if (websiteFilter) {
            String f = "searchCriteria[filter_groups][1][filters][0]";
            params.put(f + "[field]", List.of("website_id"));
            params.put(f + "[value]", List.of("2"));
        }
        if (pageSize != null) {
            params.put("searchCriteria[pageSize]", List.of(pageSize.toString()));
            params.put("searchCriteria[currentPage]", List.of(currentPage.toString()));
        }
        SearchCriteria criteria = SearchCriteria.parse(params, true, 300);
        List<ObjectNode> byId = new ArrayList<>(rows);
        byId.sort(Comparator.comparingLong(r -> r.get("id").asLong()));
        ObjectNode expected = criteria.apply(byId);
        ObjectNode actual = criteria.apply(orders, new Object());
        String what = params.toString();
        assertThat(actual.get("total_count")).as(what).isEqualTo(expected.get("total_count"));
        assertThat(ids(actual)).as(what).isEqualTo(ids(expected));
        assertThat(actual.get("search_criteria")).as(what).isEqualTo(expected.get("search_criteria"));
    }

    private static List<Long> ids(ObjectNode body) {
        List<Long> ids = new ArrayList<>();
        body.get("items").forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }
}
