package com.commerceidentity.sandbox.bigcommerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The indexed customer list answers exactly what filtering and sorting every customer answers: same page, same
 * order (equal timestamps and last names by id), same {@code total}, same cursor pages and their
 * previous/next flags, also after updates move customers within the orders and after creates and deletes.
 */
class CustomerIndexTest {
    private static final Instant BASE = Instant.parse("2024-05-14T09:34:00Z");
    private static final List<String> LAST_NAMES = List.of("Smith", "smith", "O'Neil", "Zed", "ángel", "Adams");
    private final Random random = new Random(11);
    private final List<BigCommerceCustomer> customers = new ArrayList<>();
    private final CustomerIndex index = new CustomerIndex();
    private int nextId = 1;

    @Test
    void indexedListsMatchAFullScanIncludingTiesAndMovedRows() {
        for (int i = 0; i < 300; i++) {
            customers.add(customer());
        }
        index.addAll(customers);
        int compared = checkAll();

        // Updates move customers to other timestamps (many onto one already held) and other last names.
        for (int i = 0; i < 60; i++) {
            BigCommerceCustomer c = customers.get(random.nextInt(customers.size()));
            index.change(c, moved -> {
                moved.dateModified = BASE.plusSeconds(random.nextInt(3) * 3600L);
                if (random.nextBoolean()) {
                    moved.lastName = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
                }
            });
        }
        for (int i = 0; i < 20; i++) {
            BigCommerceCustomer gone = customers.remove(random.nextInt(customers.size()));
            assertThat(index.remove(gone.id)).contains(gone);
        }
        for (int i = 0; i < 20; i++) {
            BigCommerceCustomer c = customer();
            customers.add(c);
            index.add(c);
        }
        compared += checkAll();
        assertThat(compared).isGreaterThan(5000);
    }

    @Test
    void aStoreUpdateMovesTheCustomerToTheNewestEndOfDateModifiedAndToItsNewLastName() {
        BigCommerceStore store = new BigCommerceStore(SandboxSettings.defaults().seedGenerator(), 50);
        MultiMap byModified = MultiMap.caseInsensitiveMultiMap().add("sort", "date_modified:desc");
        int before = store.page(new CustomerFilter(byModified), 1, 1).rows().get(0).id;
        int moved = before == 7 ? 8 : 7;
        Instant start = Instant.now().minusSeconds(1);

        store.update(moved, Json.object().put("last_name", "Aaaa"));

        assertThat(store.page(new CustomerFilter(byModified), 1, 1).rows().get(0).id).isEqualTo(moved);
        MultiMap recent = MultiMap.caseInsensitiveMultiMap().add("sort", "date_modified:asc")
                .add("date_modified:min", String.valueOf(start.getEpochSecond()));
        CustomerIndex.Page page = store.page(new CustomerFilter(recent), 1, 50);
        assertThat(ids(page.rows())).containsExactly(moved);
        assertThat(page.total()).isEqualTo(1);
        MultiMap byName = MultiMap.caseInsensitiveMultiMap().add("sort", "last_name:asc");
        assertThat(store.page(new CustomerFilter(byName), 1, 1).rows().get(0).id).isEqualTo(moved);
        assertThat(store.delete(moved)).isPresent();
        assertThat(store.page(new CustomerFilter(byName), 1, 50).total()).isEqualTo(49);
    }

    private BigCommerceCustomer customer() {
        // Few distinct instants an hour apart, so many customers share one and a day holds several.
        BigCommerceCustomer c = new BigCommerceCustomer(nextId++, BASE.plusSeconds(random.nextInt(40) * 3600L));
        c.dateModified = c.dateCreated.plusSeconds(random.nextInt(30) * 3600L);
        c.email = "p" + c.id + "@example.com";
        c.firstName = "Pat";
        c.lastName = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
        c.company = random.nextInt(3) == 0 ? "Acme" : "";
        c.customerGroupId = random.nextInt(4) == 0 ? 2 : 0;
        return c;
    }

    private int checkAll() {
        int n = 0;
        List<Map<String, String>> filters = new ArrayList<>();
        filters.add(Map.of());
        for (String field : List.of("date_modified", "date_created")) {
            for (String pivot : List.of(iso(12), iso(0), iso(-5), iso(200), "2024-05-15", String.valueOf(BASE.plusSeconds(20 * 3600L).getEpochSecond()))) {
                filters.add(Map.of(field + ":min", pivot));
                filters.add(Map.of(field + ":max", pivot));
                filters.add(Map.of(field, pivot));
                filters.add(Map.of(field + ":min", pivot, field + ":max", iso(30)));
                filters.add(Map.of(field + ":min", pivot, "company:in", "acme"));
                filters.add(Map.of(field + ":max", pivot, "customer_group_id:in", "2", "date_modified:min", iso(10)));
            }
        }
        filters.add(Map.of("company:in", "Acme"));
        filters.add(Map.of("id:in", "3,999,17,42,120,250,5,1"));
        filters.add(Map.of("id:in", "3,17,42,120,250,5,1", "date_modified:min", iso(20)));
        for (String sort : CustomerFilter.SORTS) {
            for (Map<String, String> filter : filters) {
                for (int limit : List.of(7, 50)) {
                    for (int page : List.of(1, 2, 5, 100)) {
                        checkPage(sort, filter, limit, page);
                        n++;
                    }
                    n += checkCursors(sort, filter, limit);
                }
            }
        }
        return n;
    }

    private static String iso(int hours) {
        return BASE.plusSeconds(hours * 3600L).toString();
    }

    private CustomerFilter filter(String sort, Map<String, String> params) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        params.forEach(map::add);
        map.add("sort", sort);
        return new CustomerFilter(map);
    }

    private List<BigCommerceCustomer> fullScan(CustomerFilter f) {
        return customers.stream().filter(f::matches).sorted(f.order).collect(Collectors.toList());
    }

    private static List<Integer> ids(List<BigCommerceCustomer> rows) {
        return rows.stream().map(c -> c.id).toList();
    }

    private void checkPage(String sort, Map<String, String> params, int limit, int page) {
        CustomerFilter f = filter(sort, params);
        List<BigCommerceCustomer> ordered = fullScan(f);
        int from = Math.min(ordered.size(), (page - 1) * limit);
        List<BigCommerceCustomer> expected = ordered.subList(from, Math.min(ordered.size(), from + limit));
        CustomerIndex.Page answer = index.page(f, page, limit);
        String what = sort + " " + new LinkedHashMap<>(params) + " limit=" + limit + " page=" + page;
        assertThat(answer.total()).as(what).isEqualTo(ordered.size());
        assertThat(ids(answer.rows())).as(what).isEqualTo(ids(expected));
        assertThat(index.first(f).map(c -> c.id)).as(what).isEqualTo(ordered.stream().findFirst().map(c -> c.id));
    }

    /** Cursors on the first, a middle and the last matching row, on a row the filter leaves out and on a gone one. */
    private int checkCursors(String sort, Map<String, String> params, int limit) {
        CustomerFilter f = filter(sort, params);
        List<BigCommerceCustomer> ordered = fullScan(f);
        List<BigCommerceCustomer> anchors = new ArrayList<>();
        if (!ordered.isEmpty()) {
            anchors.add(ordered.get(0));
            anchors.add(ordered.get(ordered.size() / 2));
            anchors.add(ordered.get(ordered.size() - 1));
        }
        customers.stream().filter(c -> !f.matches(c)).findFirst().ifPresent(anchors::add);
        BigCommerceCustomer gone = new BigCommerceCustomer(10_000, BASE.plusSeconds(7 * 3600L));
        gone.dateModified = BASE.plusSeconds(15 * 3600L);
        gone.lastName = "smith";
        anchors.add(gone);
        int n = 0;
        for (BigCommerceCustomer anchor : anchors) {
            for (boolean after : List.of(true, false)) {
                checkCursor(f, ordered, anchor, after, limit, sort + " " + new LinkedHashMap<>(params) + " limit=" + limit
                        + (after ? " after " : " before ") + anchor.id);
                n++;
            }
        }
        return n;
    }

    /** What the simulator answered before it had indexes: the rows on the cursor's side of the whole ordered list. */
    private void checkCursor(CustomerFilter f, List<BigCommerceCustomer> ordered, BigCommerceCustomer anchor, boolean after,
                             int limit, String what) {
        List<BigCommerceCustomer> side = new ArrayList<>();
        for (BigCommerceCustomer c : ordered) {
            int cmp = f.order.compare(c, anchor);
            if (after ? cmp > 0 : cmp < 0) {
                side.add(c);
            }
        }
        List<BigCommerceCustomer> slice = after ? side.subList(0, Math.min(limit, side.size()))
                : side.subList(Math.max(0, side.size() - limit), side.size());
        boolean hasNext = after ? side.size() > slice.size() : ordered.size() > side.size();
        boolean hasPrevious = after ? ordered.size() > side.size() : side.size() > slice.size();

        CustomerIndex.CursorPage answer = index.cursor(f, anchor, after, limit);
        assertThat(ids(answer.rows())).as(what).isEqualTo(ids(slice));
        assertThat(answer.hasNext()).as(what + " hasNext").isEqualTo(hasNext);
        assertThat(answer.hasPrevious()).as(what + " hasPrevious").isEqualTo(hasPrevious);
    }
}
