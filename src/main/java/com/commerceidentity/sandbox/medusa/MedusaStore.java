package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OrderedIndex;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.SeedPerson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The store's customers and admin users, soft-deleted rows included, with the list indexes of the live ones. Each
 * operation holds the lock for all it reads and writes; what leaves the store is a copy.
 */
final class MedusaStore {

    private final Object lock = new Object();
    /** Every record timestamp: tests drive it. */
    private final Clock clock;
    /** By id: ULID ids sort in creation order, which is also the order of this map. */
    private final TreeMap<String, ObjectNode> customers = new TreeMap<>();
    private final TreeMap<String, ObjectNode> users = new TreeMap<>();
    /** The rows lists can show (not soft-deleted), in each indexed order: see {@link MedusaQuery#apply}. */
    private final Map<String, OrderedIndex<ObjectNode>> customerOrders = orders();
    private final Map<String, OrderedIndex<ObjectNode>> userOrders = orders();
    private final SecureRandom random = new SecureRandom();
    private Instant lastWrite = Instant.EPOCH;

    /** Seeds from {@code seeded}, so ids repeat with the seed; user 1 gets {@code adminEmail} to sign in with. */
    MedusaStore(SandboxSettings settings, Clock clock, Random seeded, String adminEmail) {
        this.clock = clock;
        for (SeedPerson p : settings.seedGenerator().people("medusa", settings.customers("medusa"))) {
            ObjectNode c = MedusaShapes.customerFields(p);
            String id = MedusaIds.ulid("cus_", p.createdAt(), seeded);
            customers.put(id, MedusaShapes.complete(id, c, p.createdAt(), p.updatedAt()));
        }
        List<SeedPerson> staff = settings.seedGenerator().people("medusa-staff", settings.staff("medusa"));
        for (SeedPerson p : staff) {
            ObjectNode u = Json.object();
            u.put("email", p.index() == 0 ? adminEmail : p.email() != null ? p.email() : "user" + p.index() + "@example.com");
            u.put("first_name", p.firstName());
            u.put("last_name", p.lastName());
            String id = MedusaIds.ulid("user_", p.createdAt(), seeded);
            users.put(id, MedusaShapes.complete(id, u, p.createdAt(), p.updatedAt()));
        }
        customerOrders.values().forEach(index -> index.addAll(customers.values()));
        userOrders.values().forEach(index -> index.addAll(users.values()));
    }

    private static Map<String, OrderedIndex<ObjectNode>> orders() {
        Map<String, OrderedIndex<ObjectNode>> orders = new LinkedHashMap<>();
        MedusaQuery.INDEXED_ORDERS.forEach(order -> orders.put(order, new OrderedIndex<>(MedusaQuery.order(order))));
        return orders;
    }

    /**
     * Stores a new version of a row (caller holds the lock); lists see it in its new place at once, soft-deleted
     * rows not at all. Stored rows are never changed afterwards, so a list may read them outside the lock.
     */
    private void store(boolean customer, ObjectNode row) {
        ObjectNode old = (customer ? customers : users).put(row.get("id").asText(), row);
        Map<String, OrderedIndex<ObjectNode>> orders = customer ? customerOrders : userOrders;
        if (old != null && old.get("deleted_at").isNull()) {
            orders.values().forEach(index -> index.remove(old));
        }
        if (row.get("deleted_at").isNull()) {
            orders.values().forEach(index -> index.add(row));
        }
    }

    // ---------------------------------------------------------------- reads for the admin API

    /** Id of the live user with this email, null when there is none. */
    String liveUserId(String email) {
        synchronized (lock) {
            return users.values().stream().filter(u -> email.equals(u.path("email").asText())
                    && u.get("deleted_at").isNull()).map(u -> u.get("id").asText()).findFirst().orElse(null);
        }
    }

    /**
     * Gives the live user signed in as {@code from} the address {@code to} (the admin login changed by a knob),
     * unless another live user already has it.
     */
    void renameUser(String from, String to) {
        synchronized (lock) {
            String id = liveUserId(from);
            if (id != null && liveUserId(to) == null) {
                update(RecordControl.STAFF, id, Json.object().put("email", to));
            }
        }
    }

    MedusaQuery.Page query(boolean customer, MedusaQuery query) {
        return query.apply(customer ? customerOrders : userOrders, lock);
    }

    /** A copy of the record unless it is unknown or soft-deleted (then null). */
    ObjectNode live(boolean customer, String id) {
        synchronized (lock) {
            ObjectNode found = (customer ? customers : users).get(id);
            return found == null || !found.get("deleted_at").isNull() ? null : found.deepCopy();
        }
    }

    // ---------------------------------------------------------------- changes for the control API

    List<JsonNode> list(String kind) {
        synchronized (lock) {
            return table(kind).values().stream().map(n -> (JsonNode) n.deepCopy()).toList();
        }
    }

    Optional<JsonNode> get(String kind, String id) {
        synchronized (lock) {
            return Optional.ofNullable(table(kind).get(id)).map(ObjectNode::deepCopy);
        }
    }

    /** Whether the record exists, soft-deleted or not. */
    boolean contains(String kind, String id) {
        synchronized (lock) {
            return table(kind).containsKey(id);
        }
    }

    ObjectNode create(String kind, JsonNode fields) {
        synchronized (lock) {
            Instant now = now();
            boolean staff = staff(kind);
            if (staff && !fields.hasNonNull("email")) {
                throw new IllegalArgumentException("email is required for a Medusa user");
            }
            String id = MedusaIds.ulid(staff ? "user_" : "cus_", now, random);
            ObjectNode created = MedusaShapes.complete(id, (ObjectNode) fields, now, now);
            store(!staff, created);
            return created.deepCopy();
        }
    }

    /** Merges {@code fields} into a live record; empty when it is unknown or soft-deleted. */
    Optional<ObjectNode> update(String kind, String id, JsonNode fields) {
        synchronized (lock) {
            ObjectNode current = table(kind).get(id);
            if (current == null || !current.get("deleted_at").isNull()) {
                return Optional.empty();
            }
            ObjectNode merged = current.deepCopy();
            merged.setAll((ObjectNode) fields);
            ObjectNode updated = MedusaShapes.complete(id, merged, Instant.parse(current.get("created_at").asText()), now());
            store(!staff(kind), updated);
            return Optional.of(updated.deepCopy());
        }
    }

    /** Soft delete, as Medusa's delete workflows do: the row stays with {@code deleted_at} set. */
    boolean delete(String kind, String id) {
        synchronized (lock) {
            ObjectNode current = table(kind).get(id);
            if (current == null || !current.get("deleted_at").isNull()) {
                return false;
            }
            // A new version rather than a change in place: list requests read stored rows outside the lock.
            ObjectNode deleted = current.deepCopy();
            deleted.put("deleted_at", MedusaShapes.iso(now()));
            store(!staff(kind), deleted);
            return true;
        }
    }

    private TreeMap<String, ObjectNode> table(String kind) {
        return staff(kind) ? users : customers;
    }

    static boolean staff(String kind) {
        if (!kind.equals(RecordControl.CUSTOMER) && !kind.equals(RecordControl.STAFF)) {
            throw new IllegalArgumentException("kind must be customer or staff");
        }
        return kind.equals(RecordControl.STAFF);
    }

    /** Millisecond precision like JavaScript dates, strictly after every earlier write so versions move. */
    private Instant now() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastWrite = now.isAfter(lastWrite) ? now : lastWrite.plusMillis(1);
        return lastWrite;
    }
}
