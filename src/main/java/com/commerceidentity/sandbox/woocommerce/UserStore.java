package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.OrderedIndex;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The site's WordPress users. Each role (and "all") keeps its users in the three orders a list can ask for (ID,
 * display name, registration date; ties by ID), so an unfiltered page is index arithmetic. Users get ids in
 * registration order and an id is never reused (AUTO_INCREMENT). Synchronized: Vert.x handlers, the control API
 * and tests share it.
 */
final class UserStore {

    record Page(List<WpUser> rows, int total) {
    }

    private static final Map<String, Comparator<WpUser>> ORDERS = Map.of(
            "id", Comparator.comparingInt(u -> u.id),
            "name", Comparator.comparing(WpUser::sortName).thenComparingInt(u -> u.id),
            "registered_date", Comparator.<WpUser, Instant>comparing(u -> u.registered).thenComparingInt(u -> u.id));
    private static final Comparator<WpUser> BY_LOGIN = Comparator.<WpUser, String>comparing(u -> u.login.toLowerCase(Locale.ROOT))
            .thenComparingInt(u -> u.id);

    private final Clock clock;
    private final TreeMap<Integer, WpUser> users = new TreeMap<>();
    private final Map<String, Map<String, OrderedIndex<WpUser>>> byRole = new HashMap<>();
    private int nextId;

    UserStore(Clock clock, List<WpUser> seeded) {
        this.clock = clock;
        Map<String, List<WpUser>> buckets = new HashMap<>();
        for (WpUser u : seeded) {
            users.put(u.id, u);
            buckets(u).forEach(b -> buckets.computeIfAbsent(b, k -> new ArrayList<>()).add(u));
        }
        buckets.forEach((bucket, rows) -> indexes(bucket).values().forEach(index -> index.addAll(rows)));
        nextId = users.isEmpty() ? 1 : users.lastKey() + 1;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    synchronized Optional<WpUser> get(int id) {
        return Optional.ofNullable(users.get(id));
    }

    synchronized List<WpUser> all(Predicate<WpUser> filter) {
        return users.values().stream().filter(filter).toList();
    }

    synchronized boolean emailTaken(String email, int exceptId) {
        String lower = email.toLowerCase(Locale.ROOT);
        return users.values().stream().anyMatch(u -> u.id != exceptId && u.email != null && u.email.toLowerCase(Locale.ROOT).equals(lower));
    }

    synchronized boolean loginTaken(String login) {
        return users.values().stream().anyMatch(u -> u.login.equalsIgnoreCase(login));
    }

    /** One page of a list request and the number of matching users (X-WP-Total). */
    synchronized Page page(UserQuery q) {
        Map<String, OrderedIndex<WpUser>> indexes = byRole.get(q.role() == null ? "all" : q.role());
        if (indexes == null) {
            return new Page(List.of(), 0);
        }
        List<WpUser> ordered;
        if (!q.include().isEmpty()) {
            // few candidates: look them up instead of walking an index
            Predicate<WpUser> inBucket = u -> q.role() == null || u.hasRole(q.role());
            ordered = new ArrayList<>(new LinkedHashSet<>(q.include()).stream().map(users::get)
                    .filter(u -> u != null && inBucket.test(u)).toList());
            if (!"include".equals(q.orderby())) {
                ordered.sort(ORDERS.get(q.orderby()));
            }
            ordered = q.descending() ? reversed(ordered) : ordered;
        } else if ("include".equals(q.orderby())) {
            // WP_User_Query ignores orderby=include without an include list and falls back to user_login
            ordered = new ArrayList<>(indexes.get("id").rows());
            ordered.sort(q.descending() ? BY_LOGIN.reversed() : BY_LOGIN);
        } else {
            List<WpUser> rows = indexes.get(q.orderby()).rows();
            ordered = q.descending() ? reversed(rows) : rows;
        }
        int from = q.offset();
        int to = from + q.perPage();
        if (!q.filtersRows()) {
            int total = ordered.size();
            return new Page(List.copyOf(ordered.subList(Math.min(from, total), Math.min(to, total))), total);
        }
        Predicate<WpUser> filter = q.rowFilter();
        List<WpUser> slice = new ArrayList<>();
        int total = 0;
        for (WpUser u : ordered) {
            if (filter.test(u)) {
                if (total >= from && total < to) {
                    slice.add(u);
                }
                total++;
            }
        }
        return new Page(List.copyOf(slice), total);
    }

    synchronized WpUser create(JsonNode fields, List<String> roles) {
        WpUser u = new WpUser(nextId++, now());
        u.roles = new ArrayList<>(roles);
        u.merge(fields);
        String requested = fields.path("username").asText("");
        u.login = requested.isBlank() ? uniqueLogin(Seeds.username(u.email, u.firstName, u.lastName), u.id) : requested;
        if (u.displayName == null || u.displayName.isEmpty()) {
            u.displayName = WpUser.defaultDisplayName(u.firstName, u.lastName, u.login);
        }
        // WooCommerce writes last_update while it saves the new customer's names and addresses
        u.lastUpdate = u.registered;
        put(null, u);
        return u;
    }

    /** Changes a copy of the user and stores it with a new last_update (profile_update). */
    synchronized Optional<WpUser> update(int id, JsonNode fields) {
        WpUser old = users.get(id);
        if (old == null) {
            return Optional.empty();
        }
        WpUser changed = old.copy();
        changed.merge(fields);
        changed.lastUpdate = now();
        put(old, changed);
        return Optional.of(changed);
    }

    synchronized Optional<WpUser> delete(int id) {
        WpUser old = users.remove(id);
        if (old != null) {
            buckets(old).forEach(b -> indexes(b).values().forEach(index -> index.remove(old)));
        }
        return Optional.ofNullable(old);
    }

    private void put(WpUser old, WpUser row) {
        if (old != null) {
            buckets(old).forEach(b -> indexes(b).values().forEach(index -> index.remove(old)));
        }
        users.put(row.id, row);
        buckets(row).forEach(b -> indexes(b).values().forEach(index -> index.add(row)));
    }

    private String uniqueLogin(String base, int salt) {
        String login = base.isEmpty() ? "user" + salt : base;
        // wc_create_new_customer_username appends "-" and a random 4-digit number until the login is free
        for (int n = salt; loginTaken(login); n = n * 31 + 7) {
            login = base + "-" + String.format("%04d", Math.floorMod(n, 10000));
        }
        return login;
    }

    private Map<String, OrderedIndex<WpUser>> indexes(String bucket) {
        return byRole.computeIfAbsent(bucket, b -> {
            Map<String, OrderedIndex<WpUser>> m = new HashMap<>();
            ORDERS.forEach((name, order) -> m.put(name, new OrderedIndex<>(order)));
            return m;
        });
    }

    private static List<String> buckets(WpUser u) {
        List<String> buckets = new ArrayList<>(List.of("all"));
        u.roles.stream().distinct().forEach(buckets::add);
        return buckets;
    }

    private static <T> List<T> reversed(List<T> rows) {
        return new AbstractList<>() {
            @Override
            public T get(int index) {
                return rows.get(rows.size() - 1 - index);
            }

            @Override
            public int size() {
                return rows.size();
            }
        };
    }
}
