package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OrderedIndex;
import com.commerceidentity.sandbox.SeedPerson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's user invites ({@code AdminInvite}: id, email, accepted, token, expires_at, metadata, timestamps) and
 * {@code GET /admin/invites[/{id}]}. Accepting one follows Medusa v2's acceptInviteWorkflow: the user is created and
 * the invite soft-deleted, so lists stop showing it. A stock store has a couple of invites nobody has accepted yet.
 */
final class MedusaInvites {
    /** Medusa's default invite validity (the user module's {@code valid_duration}: one day). */
    static final Duration VALIDITY = Duration.ofDays(1);

    private final MedusaSimulator sim;
    private final Clock clock;
    private final Object lock = new Object();
    private final TreeMap<String, ObjectNode> invites = new TreeMap<>();
    private final Map<String, OrderedIndex<ObjectNode>> orders = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    MedusaInvites(MedusaSimulator sim, Clock clock, List<SeedPerson> pending, Random seeded) {
        this.sim = sim;
        this.clock = clock;
        MedusaQuery.INDEXED_ORDERS.forEach(order -> orders.put(order, new OrderedIndex<>(MedusaQuery.order(order))));
        for (SeedPerson p : pending) {
            // Seeded times keep ids and documents the same run after run; such an invite may be past its expiry,
            // which Medusa does not delete either (it lists it until it is accepted, resent or deleted).
            Instant at = p.createdAt().truncatedTo(ChronoUnit.MILLIS);
            String id = MedusaIds.ulid("invite_", at, seeded);
            store(shape(id, p.email() != null ? p.email() : "invitee" + p.index() + "@example.com",
                    "tok_" + MedusaIds.hex(seeded, 16), at, false, null));
        }
    }

    private static ObjectNode shape(String id, String email, String token, Instant at, boolean accepted, Instant deleted) {
        ObjectNode i = Json.object();
        i.put("id", id);
        i.put("email", email);
        i.put("accepted", accepted);
        i.put("token", token);
        i.put("expires_at", MedusaShapes.iso(at.plus(VALIDITY)));
        i.putNull("metadata");
        i.put("created_at", MedusaShapes.iso(at));
        i.put("updated_at", MedusaShapes.iso(at));
        if (deleted == null) {
            i.putNull("deleted_at");
        } else {
            i.put("deleted_at", MedusaShapes.iso(deleted));
        }
        return i;
    }

    private void store(ObjectNode row) {
        synchronized (lock) {
            ObjectNode old = invites.put(row.get("id").asText(), row);
            if (old != null && old.get("deleted_at").isNull()) {
                orders.values().forEach(index -> index.remove(old));
            }
            if (row.get("deleted_at").isNull()) {
                orders.values().forEach(index -> index.add(row));
            }
        }
    }

    /** {@code POST /admin/invites}'s effect: a pending invite for {@code email}, with its {@code invite.created} event. */
    ObjectNode create(String email) {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("email is required for a Medusa invite");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode created = shape(MedusaIds.ulid("invite_", now, random), email, "tok_" + MedusaIds.hex(random, 16),
                now, false, null);
        store(created);
        sim.emit("invite.created", created.get("id").asText());
        return created.deepCopy();
    }

    /**
     * acceptInviteWorkflow: creates the user (with its {@code user.created} event), soft-deletes the invite and emits
     * {@code invite.accepted}. The user gets an id of its own: the invite id is not reused.
     */
    ObjectNode accept(String inviteId, String firstName, String lastName) {
        ObjectNode invite;
        synchronized (lock) {
            invite = invites.get(inviteId);
            if (invite == null || !invite.get("deleted_at").isNull()) {
                throw new NoSuchElementException("no pending invite " + inviteId);
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            ObjectNode used = invite.deepCopy();
            used.put("accepted", true);
            used.put("updated_at", MedusaShapes.iso(now));
            used.put("deleted_at", MedusaShapes.iso(now));
            store(used);
        }
        ObjectNode user = (ObjectNode) sim.records().create(com.commerceidentity.sandbox.RecordControl.STAFF,
                Json.object().put("email", invite.get("email").asText()).put("first_name", firstName)
                        .put("last_name", lastName));
        sim.emit("invite.accepted", inviteId);
        return user;
    }

    List<ObjectNode> pending() {
        synchronized (lock) {
            return invites.values().stream().filter(i -> i.get("deleted_at").isNull()).map(MedusaInvites::served).toList();
        }
    }

    void list(RoutingContext ctx) {
        if (!sim.auth.authorized(ctx)) {
            return;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> params.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        MedusaQuery query;
        try {
            query = MedusaQuery.parse(params, Set.of("id", "email"), List.of("email"));
        } catch (MedusaQuery.Invalid e) {
            sim.json(ctx, 400, Json.object().put("type", "invalid_data").put("message", e.getMessage()));
            return;
        }
        sim.offloadList(ctx, () -> {
            MedusaQuery.Page page = query.apply(orders, lock);
            List<ObjectNode> items = sim.takeFault(ctx, FaultType.EMPTY_PAGE) ? List.of() : page.items();
            ObjectNode body = Json.object();
            body.putArray("invites").addAll(items.stream().map(MedusaInvites::served).toList());
            body.put("count", page.count()).put("offset", query.offset).put("limit", query.limit);
            sim.json(ctx, 200, body);
        });
    }

    void one(RoutingContext ctx) {
        if (!sim.auth.authorized(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        ObjectNode found;
        synchronized (lock) {
            found = invites.get(id);
        }
        if (found == null || !found.get("deleted_at").isNull()) {
            sim.json(ctx, 404, Json.object().put("type", "not_found")
                    .put("message", "Invite with id: " + id + " was not found"));
            return;
        }
        sim.json(ctx, 200, Json.object().set("invite", served(found)));
    }

    /** AdminInvite has no deleted_at: the soft delete is the store's own bookkeeping. */
    private static ObjectNode served(ObjectNode row) {
        ObjectNode copy = row.deepCopy();
        copy.remove("deleted_at");
        return copy;
    }
}
