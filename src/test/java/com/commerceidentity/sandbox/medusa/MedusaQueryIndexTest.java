package com.commerceidentity.sandbox.medusa;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OrderedIndex;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The indexed list answers exactly what filtering and sorting every row answers: same rows, same order (equal
 * timestamps by id), same {@code count}, also after updates move rows within an order.
 */
class MedusaQueryIndexTest {
    private static final Instant BASE = Instant.parse("2024-10-24T10:00:00Z");
    private static final List<Integer> OFFSETS = List.of(0, 7, 150, 400);
    private final Random random = new Random(7);
    private final Random offsets = new Random(11);
    private final List<ObjectNode> rows = new ArrayList<>();
    private final Map<String, OrderedIndex<ObjectNode>> orders = new LinkedHashMap<>();

    @Test
    void indexedListsMatchAFullScanIncludingTiesAndMovedRows() {
        for (int i = 0; i < 300; i++) {
            rows.add(row(i));
        }
        MedusaQuery.INDEXED_ORDERS.forEach(o -> orders.put(o, new OrderedIndex<>(MedusaQuery.order(o))));
        orders.values().forEach(index -> index.addAll(rows));
        int compared = checkAll();

        // Updates move rows to the newest end of updated_at, some onto a timestamp others already hold.
        for (int i = 0; i < 40; i++) {
            ObjectNode old = rows.get(random.nextInt(rows.size()));
            ObjectNode moved = old.deepCopy().put("updated_at", MedusaSimulator.iso(BASE.plusSeconds(100 + random.nextInt(3))));
            orders.values().forEach(index -> assertThat(index.remove(old)).isTrue());
            rows.set(rows.indexOf(old), moved);
            orders.values().forEach(index -> index.add(moved));
        }
        compared += checkAll();
        assertThat(compared).isGreaterThan(1000);
    }

    private ObjectNode row(int i) {
        ObjectNode r = Json.object();
        r.put("id", String.format("cus_%05d%s", random.nextInt(100_000), Integer.toString(i, 36)));
        r.put("email", "p" + random.nextInt(50) + "@example.com");
        r.put("has_account", random.nextInt(4) != 0);
        // Few distinct instants, so many rows share one, some only in their milliseconds.
        r.put("created_at", MedusaSimulator.iso(BASE.plusMillis(random.nextInt(20) * 250L)));
        r.put("updated_at", MedusaSimulator.iso(BASE.plusSeconds(random.nextInt(30))));
        r.putNull("deleted_at");
        return r;
    }

    private int checkAll() {
        int n = 0;
        List<String> pivots = List.of(MedusaSimulator.iso(BASE.plusSeconds(12)), MedusaSimulator.iso(BASE.plusMillis(1250)),
                "2024-10-24", MedusaSimulator.iso(BASE.plusMillis(12_000).plusNanos(500_000)));
        for (String order : List.of("updated_at", "-updated_at", "created_at", "-created_at", "id", "-id", "email")) {
            for (String field : List.of("updated_at", "created_at")) {
                for (String op : List.of("", "$gte", "$gt", "$lt", "$lte", "$eq", "$ne", "range")) {
                    for (String pivot : op.isEmpty() ? List.of("") : pivots) {
                        for (boolean accountsOnly : List.of(false, true)) {
                            // one offset of the four per case, drawn: every offset still meets every other
                            // dimension across the cases, at a quarter of the full product's time
                            check(order, field, op, pivot, accountsOnly, OFFSETS.get(offsets.nextInt(OFFSETS.size())));
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    private void check(String order, String field, String op, String pivot, boolean accountsOnly, int offset) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("order", List.of(order));
        params.put("offset", List.of(String.valueOf(offset)));
        params.put("limit", List.of("25"));
        Predicate<ObjectNode> expected = r -> true;
        if (op.equals("range")) {
            params.put(field + "[$gte]", List.of(pivot));
            params.put(field + "[$lt]", List.of(MedusaSimulator.iso(MedusaQuery.instant(pivot, "pivot").plusSeconds(5))));
            Instant a = MedusaQuery.instant(pivot, "pivot");
            Instant b = a.plusSeconds(5);
            expected = r -> !time(r, field).isBefore(a) && time(r, field).isBefore(b);
        } else if (!op.isEmpty()) {
            params.put(field + "[" + op + "]", List.of(pivot));
            Instant p = MedusaQuery.instant(pivot, "pivot");
            expected = r -> {
                int c = time(r, field).compareTo(p);
                return switch (op) {
                    case "$gte" -> c >= 0;
                    case "$gt" -> c > 0;
                    case "$lt" -> c < 0;
                    case "$lte" -> c <= 0;
                    case "$eq" -> c == 0;
                    default -> c != 0;
                };
            };
        }
        if (accountsOnly) {
            params.put("has_account", List.of("true"));
            expected = expected.and(r -> r.get("has_account").asBoolean());
        }
        boolean desc = order.startsWith("-");
        String sortField = desc ? order.substring(1) : order;
        Comparator<ObjectNode> byField = Comparator.comparing(r -> r.get(sortField).asText());
        List<ObjectNode> matching = new ArrayList<>(rows.stream().filter(expected).toList());
        matching.sort((desc ? byField.reversed() : byField).thenComparing(r -> r.get("id").asText()));
        List<String> page = matching.subList(Math.min(offset, matching.size()), Math.min(offset + 25, matching.size()))
                .stream().map(r -> r.get("id").asText()).toList();

        MedusaQuery.Page answer = MedusaQuery.parse(params, Set.of("id", "has_account"), List.of("email")).apply(orders, new Object());
        String what = order + " " + field + op + " " + pivot + " accountsOnly=" + accountsOnly + " offset=" + offset;
        assertThat(answer.count()).as(what).isEqualTo(matching.size());
        assertThat(answer.items().stream().map(r -> r.get("id").asText()).toList()).as(what).isEqualTo(page);
    }

    private static Instant time(ObjectNode r, String field) {
        return Instant.parse(r.get(field).asText());
    }
}
