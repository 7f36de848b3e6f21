package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.SeedGenerator;
import com.commerceidentity.sandbox.SeedPerson;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The shop's customers and staff. Customer ids start in the 706405506930370084 range (above 2^53) like real
 * Shopify ids. All access is synchronized: Vert.x handlers and test threads share it.
 */
final class ShopifyStore {

    static final long FIRST_CUSTOMER_ID = 706405506930370084L;
    static final long FIRST_STAFF_ID = 902541635L;

    private final TreeMap<Long, ShopifyCustomer> customers = new TreeMap<>();
    /** The list orders a page can ask for, kept as customers change: a page reads from its cursor on. */
    private final java.util.NavigableSet<ShopifyCustomer> byUpdated = new java.util.TreeSet<>(order("updated_at"));
    private final java.util.NavigableSet<ShopifyCustomer> byCreated = new java.util.TreeSet<>(order("created_at"));
    private final List<ShopifyStaff> staff = new ArrayList<>();
    private long nextCustomerId = FIRST_CUSTOMER_ID;

    ShopifyStore(SeedGenerator seeds, int customerCount, int staffCount) {
        java.util.Set<String> phones = new java.util.HashSet<>();
        for (SeedPerson person : seeds.people("shopify", customerCount)) {
            ShopifyCustomer customer = new ShopifyCustomer(nextId(), person.createdAt());
            customer.email = person.email();
            customer.firstName = person.firstName();
            customer.lastName = person.lastName();
            String phone = ShopifyPhones.toE164(person.phone());
            // Shopify refuses a phone number another customer already has
            customer.phone = phone != null && phones.add(phone) ? phone : null;
            customer.verifiedEmail = person.email() != null && person.index() % 4 != 0;
            customer.state = person.enabled() ? (person.index() % 11 == 5 ? "invited" : "enabled")
                    : (person.index() % 2 == 0 ? "disabled" : "declined");
            customer.updatedAt = person.updatedAt().truncatedTo(ChronoUnit.SECONDS);
            // Shopify keeps tags as one comma-separated string (the REST examples show "Léon, Noël").
            customer.tags = person.index() % 6 == 0 ? "VIP, wholesale" : person.index() % 4 == 1 ? "newsletter" : "";
            add(customer);
        }
        List<SeedPerson> staffSeeds = seeds.people("shopify-staff", staffCount);
        for (SeedPerson person : staffSeeds) {
            int i = person.index();
            staff.add(new ShopifyStaff(FIRST_STAFF_ID + i * 1013L, person.firstName() == null ? "Alex" : person.firstName(),
                    person.lastName(), person.email() == null ? "staff" + i + "@sandbox-shop.example.com" : person.email(),
                    person.phone(), person.enabled() || i == 0, i % 5 == 4 ? "COLLABORATOR" : "REGULAR", i == 0,
                    i % 3 == 1 ? "fr" : "en", person.createdAt(), person.updatedAt()));
        }
    }

    private long nextId() {
        long id = nextCustomerId;
        nextCustomerId += 7919;
        return id;
    }

    synchronized List<ShopifyCustomer> customers() {
        return List.copyOf(customers.values());
    }

    /** The customers {@code which} picks, as they are at this moment, copied (a bulk piece copies its range only). */
    synchronized List<ShopifyCustomer> snapshot(java.util.function.Predicate<ShopifyCustomer> which) {
        return customers.values().stream().filter(which).map(ShopifyCustomer::copy).toList();
    }

    /** A list order's sort key, second by second as Shopify compares timestamps, then the id. */
    static long sortValue(String orderField, ShopifyCustomer c) {
        return switch (orderField) {
            case "updated_at" -> c.updatedAt.getEpochSecond();
            case "created_at" -> c.createdAt.getEpochSecond();
            default -> c.id;
        };
    }

    static Comparator<ShopifyCustomer> order(String orderField) {
        return Comparator.<ShopifyCustomer>comparingLong(c -> sortValue(orderField, c)).thenComparingLong(c -> c.id);
    }

    /**
     * Visits customers in the ascending order of {@code orderField} ({@code forward}) or the descending one,
     * starting after the position ({@code value}, {@code id}) (at it when {@code inclusive}), or at the first
     * customer when {@code from} is null, until {@code visitor} answers false. Paging a large shop from its
     * cursor, rather than sorting all of it for every page, kept the simulator from taking a third of the cores
     * a benchmark measures the app on.
     */
    synchronized void walk(String orderField, boolean forward, long[] from, boolean inclusive,
                           java.util.function.Predicate<ShopifyCustomer> visitor) {
        Iterable<ShopifyCustomer> walk;
        if (orderField.equals("id")) {
            java.util.NavigableMap<Long, ShopifyCustomer> view = from == null ? customers
                    : forward ? customers.tailMap(from[1], inclusive) : customers.headMap(from[1], inclusive);
            walk = forward ? view.values() : view.descendingMap().values();
        } else {
            java.util.NavigableSet<ShopifyCustomer> index = orderField.equals("updated_at") ? byUpdated : byCreated;
            java.util.NavigableSet<ShopifyCustomer> view = from == null ? index
                    : forward ? index.tailSet(probe(from[0], from[1]), inclusive)
                    : index.headSet(probe(from[0], from[1]), inclusive);
            walk = forward ? view : view.descendingSet();
        }
        for (ShopifyCustomer c : walk) {
            if (!visitor.test(c)) {
                return;
            }
        }
    }

    /** A stand-in at a position of the timestamp orders: both timestamps at {@code second}. */
    private static ShopifyCustomer probe(long second, long id) {
        return new ShopifyCustomer(id, Instant.ofEpochSecond(second));
    }

    private void add(ShopifyCustomer customer) {
        customers.put(customer.id, customer);
        byUpdated.add(customer);
        byCreated.add(customer);
    }

    synchronized Optional<ShopifyCustomer> customer(long id) {
        return Optional.ofNullable(customers.get(id));
    }

    synchronized ShopifyCustomer create(JsonNode fields) {
        ShopifyCustomer customer = new ShopifyCustomer(nextId(), Instant.now());
        customer.state = "enabled";
        customer.merge(fields);
        add(customer);
        return customer;
    }

    synchronized Optional<ShopifyCustomer> update(long id, JsonNode fields) {
        ShopifyCustomer customer = customers.get(id);
        if (customer == null) {
            return Optional.empty();
        }
        byUpdated.remove(customer); // indexed by the time about to change
        customer.merge(fields);
        customer.updatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byUpdated.add(customer);
        return Optional.of(customer);
    }

    synchronized Optional<ShopifyCustomer> touch(long id) {
        return update(id, com.commerceidentity.sandbox.Json.object());
    }

    synchronized Optional<ShopifyCustomer> delete(long id) {
        ShopifyCustomer removed = customers.remove(id);
        if (removed != null) {
            byUpdated.remove(removed);
            byCreated.remove(removed);
        }
        return Optional.ofNullable(removed);
    }

    synchronized List<ShopifyStaff> staff() {
        return List.copyOf(staff);
    }

    synchronized ShopifyStaff addStaff(JsonNode fields) {
        long id = staff.stream().mapToLong(ShopifyStaff::id).max().orElse(FIRST_STAFF_ID) + 1013L;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ShopifyStaff member = new ShopifyStaff(id, text(fields, "firstName"), text(fields, "lastName"),
                text(fields, "email"), text(fields, "phone"), fields.path("active").asBoolean(true),
                fields.path("accountType").asText("REGULAR"), false, fields.path("locale").asText("en"), now, now);
        staff.add(member);
        staff.sort(Comparator.comparingLong(ShopifyStaff::id));
        return member;
    }

    /** Merges firstName, lastName, email, phone, active and locale into a staff member; empty when unknown. */
    synchronized java.util.Optional<ShopifyStaff> updateStaff(long id, JsonNode fields) {
        for (int i = 0; i < staff.size(); i++) {
            ShopifyStaff s = staff.get(i);
            if (s.id() == id) {
                ShopifyStaff changed = new ShopifyStaff(id,
                        fields.has("firstName") ? text(fields, "firstName") : s.firstName(),
                        fields.has("lastName") ? text(fields, "lastName") : s.lastName(),
                        fields.has("email") ? text(fields, "email") : s.email(),
                        fields.has("phone") ? text(fields, "phone") : s.phone(),
                        fields.has("active") ? fields.get("active").asBoolean() : s.active(),
                        s.accountType(), s.shopOwner(), fields.has("locale") ? text(fields, "locale") : s.locale(),
                        s.createdAt(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
                staff.set(i, changed);
                return java.util.Optional.of(changed);
            }
        }
        return java.util.Optional.empty();
    }

    synchronized boolean removeStaff(long id) {
        return staff.removeIf(s -> s.id() == id);
    }

    private static String text(JsonNode node, String field) {
        return com.commerceidentity.sandbox.Json.text(node, field);
    }
}
