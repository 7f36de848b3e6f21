package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.OrderedIndex;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.SeedPerson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's customers and admin users, with the customer indexes of every scope. Each operation holds the lock
 * for all it reads and writes; what leaves the store is a copy, except a removed row, which the store no longer holds.
 */
final class MagentoStore {

    /** What an update replaced and what it stored. */
    record Change(ObjectNode before, ObjectNode after) {
    }

    private final Object lock = new Object();
    /** Every record timestamp: tests drive it. */
    private final Clock clock;
    private final TreeMap<Long, ObjectNode> customers = new TreeMap<>();
    private final TreeMap<Long, ObjectNode> admins = new TreeMap<>();
    /** Customers of each scope (0 = all websites, else one website id) in every indexed order: see SearchCriteria#apply. */
    private final Map<Integer, Map<String, OrderedIndex<ObjectNode>>> scopes = new ConcurrentHashMap<>();
    private long nextCustomerId;
    private long nextAdminId;
    private long nextAddressId = 1;
    private Instant lastWrite = Instant.EPOCH;

    MagentoStore(SandboxSettings settings, Clock clock, String adminUsername) {
        this.clock = clock;
        List<SeedPerson> people = settings.seedGenerator().people("magento", settings.customers("magento"));
        for (SeedPerson p : people) {
            customers.put(++nextCustomerId, MagentoShapes.seedCustomer(nextCustomerId, p, () -> nextAddressId++));
        }
        Map<Integer, List<ObjectNode>> byWebsite = new HashMap<>();
        for (ObjectNode c : customers.values()) {
            byWebsite.computeIfAbsent(c.path("website_id").asInt(), w -> new ArrayList<>()).add(c);
        }
        scope(0).values().forEach(index -> index.addAll(customers.values()));
        byWebsite.forEach((website, rows) -> scope(website).values().forEach(index -> index.addAll(rows)));
        List<SeedPerson> staff = settings.seedGenerator().people("magento-admin", settings.staff("magento"));
        for (SeedPerson p : staff) {
            admins.put(++nextAdminId, MagentoShapes.seedAdmin(nextAdminId, p, adminUsername));
        }
    }

    /** The customer indexes of one scope, read and changed under the lock; a website without customers has empty ones. */
    private Map<String, OrderedIndex<ObjectNode>> scope(int website) {
        return scopes.computeIfAbsent(website, w -> {
            Map<String, OrderedIndex<ObjectNode>> orders = new LinkedHashMap<>();
            for (String field : SearchCriteria.INDEXED_FIELDS) {
                for (boolean ascending : List.of(true, false)) {
                    orders.put(SearchCriteria.orderKey(field, ascending), new OrderedIndex<>(SearchCriteria.order(field, ascending)));
                }
            }
            return orders;
        });
    }

    /** Stores, replaces (null {@code row}: removes) one customer, keeping every scope's indexes in step. */
    private void storeCustomer(long id, ObjectNode row) {
        ObjectNode old = row == null ? customers.remove(id) : customers.put(id, row);
        if (old != null) {
            scope(0).values().forEach(index -> index.remove(old));
            scope(old.path("website_id").asInt()).values().forEach(index -> index.remove(old));
        }
        if (row != null) {
            scope(0).values().forEach(index -> index.add(row));
            scope(row.path("website_id").asInt()).values().forEach(index -> index.add(row));
        }
    }

    // ---------------------------------------------------------------- reads for the REST API

    /** The search results body of one scope (0 = all websites). */
    ObjectNode search(int website, SearchCriteria criteria) {
        return criteria.apply(scope(website), lock);
    }

    /** A copy of the customer when it belongs to the website (0 = any); null otherwise. */
    ObjectNode customerIn(long id, int website) {
        synchronized (lock) {
            ObjectNode c = customers.get(id);
            return c != null && (website == 0 || c.path("website_id").asInt() == website) ? c.deepCopy() : null;
        }
    }

    List<ObjectNode> admins() {
        synchronized (lock) {
            return admins.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    // ---------------------------------------------------------------- changes for the control API

    List<JsonNode> list(String kind) {
        synchronized (lock) {
            return table(kind).values().stream().map(n -> (JsonNode) n.deepCopy()).toList();
        }
    }

    Optional<JsonNode> get(String kind, long id) {
        synchronized (lock) {
            return Optional.ofNullable(table(kind).get(id)).map(ObjectNode::deepCopy);
        }
    }

    ObjectNode customer(long id) {
        synchronized (lock) {
            ObjectNode customer = customers.get(id);
            return customer == null ? null : customer.deepCopy();
        }
    }

    ObjectNode create(String kind, JsonNode fields) {
        synchronized (lock) {
            Instant now = now();
            ObjectNode created;
            if (staff(kind)) {
                long id = ++nextAdminId;
                created = ((ObjectNode) fields.deepCopy()).put("user_id", id);
                created.put("is_active", fields.path("is_active").asInt(1));
                created.put("created", MagentoShapes.TIME.format(now)).put("modified", MagentoShapes.TIME.format(now));
                admins.put(id, created);
            } else {
                requireEmail(fields);
                long id = ++nextCustomerId;
                created = MagentoShapes.complete(id, (ObjectNode) fields.deepCopy(), now, now, () -> nextAddressId++);
                storeCustomer(id, created);
            }
            return created.deepCopy();
        }
    }

    /** Merges {@code fields} into the record; empty when there is none with that id. */
    Optional<Change> update(String kind, long id, JsonNode fields) {
        synchronized (lock) {
            ObjectNode current = table(kind).get(id);
            if (current == null) {
                return Optional.empty();
            }
            ObjectNode before = current.deepCopy();
            ObjectNode merged = current.deepCopy();
            merged.setAll((ObjectNode) fields);
            Instant now = now();
            ObjectNode after;
            if (staff(kind)) {
                after = merged.put("user_id", id).put("modified", MagentoShapes.TIME.format(now));
                admins.put(id, after);
            } else {
                Instant created = Instant.from(MagentoShapes.TIME.parse(before.get("created_at").asText()));
                after = MagentoShapes.complete(id, merged, created, now, () -> nextAddressId++);
                storeCustomer(id, after);
            }
            return Optional.of(new Change(before, after.deepCopy()));
        }
    }

    /** The removed record, null when there was none. */
    ObjectNode delete(String kind, long id) {
        synchronized (lock) {
            ObjectNode removed = table(kind).get(id);
            if (removed != null && staff(kind)) {
                admins.remove(id);
            } else if (removed != null) {
                storeCustomer(id, null);
            }
            return removed;
        }
    }

    private TreeMap<Long, ObjectNode> table(String kind) {
        return staff(kind) ? admins : customers;
    }

    static boolean staff(String kind) {
        if (!kind.equals(RecordControl.CUSTOMER) && !kind.equals(RecordControl.STAFF)) {
            throw new IllegalArgumentException("kind must be customer or staff");
        }
        return kind.equals(RecordControl.STAFF);
    }

    private static void requireEmail(JsonNode fields) {
        if (!fields.hasNonNull("email") || fields.get("email").asText().isBlank()) {
            throw new IllegalArgumentException("email is required for a Magento customer");
        }
    }

    /** Second precision like Magento's columns, and strictly after every earlier write so versions move. */
    private Instant now() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        lastWrite = now.isAfter(lastWrite) ? now : lastWrite.plusSeconds(1);
        return lastWrite;
    }
}
