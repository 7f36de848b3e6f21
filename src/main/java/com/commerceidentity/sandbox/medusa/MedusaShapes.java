package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SeedPerson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The customer and user records as Medusa's admin API returns them (AdminCustomer, AdminUser). */
final class MedusaShapes {

    private MedusaShapes() {
    }

    static ObjectNode customerFields(SeedPerson p) {
        ObjectNode c = Json.object();
        c.put("email", p.email());
        c.put("first_name", p.firstName());
        c.put("last_name", p.lastName());
        c.put("phone", p.phone());
        c.put("company_name", p.company());
        // Guests (created at checkout, no login) stand in for the seed's disabled minority.
        c.put("has_account", p.enabled());
        return c;
    }

    /** The record as the admin API returns it, with every key of AdminCustomer / AdminUser present. */
    static ObjectNode complete(String id, ObjectNode fields, Instant created, Instant updated) {
        ObjectNode out = Json.object();
        out.put("id", id);
        boolean customer = id.startsWith("cus_");
        if (customer) {
            out.put("has_account", fields.path("has_account").asBoolean(true));
            out.set("email", text(fields, "email"));
            out.set("default_billing_address_id", text(fields, "default_billing_address_id"));
            out.set("default_shipping_address_id", text(fields, "default_shipping_address_id"));
            out.set("company_name", text(fields, "company_name"));
            out.set("first_name", text(fields, "first_name"));
            out.set("last_name", text(fields, "last_name"));
            out.set("addresses", fields.has("addresses") ? fields.get("addresses") : Json.array());
            out.set("groups", fields.has("groups") ? fields.get("groups") : Json.array());
            out.set("phone", text(fields, "phone"));
            out.set("created_by", text(fields, "created_by"));
        } else {
            out.set("email", text(fields, "email"));
            out.set("first_name", text(fields, "first_name"));
            out.set("last_name", text(fields, "last_name"));
            out.set("avatar_url", text(fields, "avatar_url"));
        }
        out.set("metadata", fields.has("metadata") ? fields.get("metadata") : Json.MAPPER.nullNode());
        out.put("created_at", iso(created));
        out.put("updated_at", iso(updated));
        out.set("deleted_at", text(fields, "deleted_at"));
        return out;
    }

    private static JsonNode text(JsonNode fields, String name) {
        JsonNode v = fields.get(name);
        return v == null ? Json.MAPPER.nullNode() : v;
    }

    /** JavaScript's {@code Date.toISOString()}: always milliseconds and Z. */
    static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS))
                .replaceFirst("(\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
    }
}
