package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.SeedGenerator;
import com.commerceidentity.sandbox.SeedPerson;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Customers and webhook subscriptions of one store. Synchronized: Vert.x handlers and tests share it. */
final class BigCommerceStore {

    private final CustomerIndex customers = new CustomerIndex();
    private final Map<Integer, Hook> hooks = new TreeMap<>();
    private int nextCustomerId = 1;
    private int nextHookId = 22561593;

    BigCommerceStore(SeedGenerator seeds, int count) {
        List<BigCommerceCustomer> seeded = new ArrayList<>();
        for (SeedPerson p : seeds.people("bigcommerce", count)) {
            BigCommerceCustomer c = new BigCommerceCustomer(nextCustomerId++, p.createdAt());
            // BigCommerce requires email, first and last name: a person missing one gets what a shop admin would type
            c.email = p.email() != null ? p.email() : "guest" + c.id + "@Example.net";
            c.firstName = p.firstName() != null ? p.firstName() : "Customer";
            c.lastName = p.lastName();
            c.phone = p.phone() == null ? "" : p.phone();
            c.company = p.company() == null ? "" : p.company();
            c.registrationIpAddress = p.index() % 3 == 0 ? "" : "203.0.113." + (p.index() % 250 + 1);
            c.customerGroupId = p.index() % 7 == 0 ? 2 : 0;
            c.acceptsEmails = p.index() % 2 == 0;
            c.dateModified = p.updatedAt().truncatedTo(ChronoUnit.SECONDS);
            seeded.add(c);
        }
        customers.addAll(seeded);
    }

    synchronized List<BigCommerceCustomer> customers() {
        return new ArrayList<>(customers.all());
    }

    /** One page of a list request, with copies of its customers so that they can be rendered outside the lock. */
    synchronized CustomerIndex.Page page(CustomerFilter filter, int page, int limit) {
        CustomerIndex.Page found = customers.page(filter, page, limit);
        return new CustomerIndex.Page(snapshots(found.rows()), found.total());
    }

    synchronized CustomerIndex.CursorPage cursor(CustomerFilter filter, BigCommerceCustomer anchor, boolean after, int limit) {
        CustomerIndex.CursorPage found = customers.cursor(filter, anchor, after, limit);
        return new CustomerIndex.CursorPage(snapshots(found.rows()), found.hasPrevious(), found.hasNext());
    }

    /** The id of the first customer a list request would show. */
    synchronized Optional<Integer> firstId(CustomerFilter filter) {
        return customers.first(filter).map(c -> c.id);
    }

    private static List<BigCommerceCustomer> snapshots(List<BigCommerceCustomer> rows) {
        return rows.stream().map(BigCommerceCustomer::snapshot).toList();
    }

    synchronized Optional<BigCommerceCustomer> customer(int id) {
        return Optional.ofNullable(customers.get(id));
    }

    synchronized boolean emailTaken(String email, int exceptId) {
        String lower = email.toLowerCase(Locale.ROOT);
        return customers.all().stream().anyMatch(c -> c.id != exceptId && c.email.toLowerCase(Locale.ROOT).equals(lower));
    }

    synchronized BigCommerceCustomer create(JsonNode fields) {
        BigCommerceCustomer c = new BigCommerceCustomer(nextCustomerId++, Instant.now());
        c.merge(fields);
        customers.add(c);
        return c;
    }

    synchronized Optional<BigCommerceCustomer> update(int id, JsonNode fields) {
        BigCommerceCustomer c = customers.get(id);
        if (c == null) {
            return Optional.empty();
        }
        customers.change(c, changed -> {
            changed.merge(fields);
            changed.dateModified = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        });
        return Optional.of(c);
    }

    synchronized Optional<BigCommerceCustomer> delete(int id) {
        return customers.remove(id);
    }

    synchronized List<Hook> hooks() {
        return new ArrayList<>(hooks.values());
    }

    synchronized Optional<Hook> hook(int id) {
        return Optional.ofNullable(hooks.get(id));
    }

    synchronized Hook addHook(String clientId, String storeHash, String scope, String destination,
                              Map<String, String> headers, boolean active) {
        long now = Instant.now().getEpochSecond();
        Hook hook = new Hook(nextHookId++, clientId, storeHash, scope, destination, headers, active, now, now);
        hooks.put(hook.id(), hook);
        return hook;
    }

    synchronized void putHook(Hook hook) {
        hooks.put(hook.id(), hook);
    }

    synchronized Optional<Hook> removeHook(int id) {
        return Optional.ofNullable(hooks.remove(id));
    }
}
