package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SeedPerson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.LongSupplier;

/** The customer and admin-user records as Magento's REST API returns them, seeded or completed on save. */
final class MagentoShapes {

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MagentoShapes() {
    }

    static ObjectNode seedCustomer(long id, SeedPerson p, LongSupplier addressIds) {
        ObjectNode c = Json.object();
        c.put("email", p.email() != null ? p.email() : "customer" + id + "@example.com");
        c.put("firstname", p.firstName() != null ? p.firstName() : "Customer");
        c.put("lastname", p.lastName());
        // A quarter of the customers belong to the second website, reachable only through its store code.
        c.put("website_id", p.index() % 4 == 3 ? 2 : 1);
        if (!p.enabled()) {
            c.put("confirmation", HexFormat.of().formatHex(sha(p.index() + ":confirm")).substring(0, 32));
        }
        if (p.phone() != null) {
            ObjectNode a = c.putArray("addresses").addObject();
            a.put("firstname", c.get("firstname").asText()).put("lastname", p.lastName());
            a.putArray("street").add((100 + p.index()) + " Main Street");
            a.put("city", "Springfield").put("postcode", "49628").put("country_id", "US").put("region_id", 33);
            a.put("telephone", p.phone());
            a.put("default_billing", true).put("default_shipping", true);
            if (p.company() != null) {
                a.put("company", p.company());
            }
        }
        return complete(id, c, p.createdAt(), p.updatedAt(), addressIds);
    }

    /** User 1 is the admin the token endpoint signs in as, whatever the seed calls it. */
    static ObjectNode seedAdmin(long id, SeedPerson p, String adminUsername) {
        ObjectNode u = Json.object();
        u.put("user_id", id);
        String first = p.firstName() != null ? p.firstName() : "Admin";
        u.put("firstname", first);
        u.put("lastname", p.lastName());
        u.put("email", p.email() != null ? p.email() : "admin" + id + "@example.com");
        u.put("username", id == 1 ? adminUsername : (first.charAt(0) + p.lastName()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z]", "") + id);
        u.put("is_active", id == 1 || p.enabled() ? 1 : 0);
        // The admin_user's ACL role (authorization_role.role_name), as the module adding /V1/users returns it.
        u.put("role_name", id == 1 || id % 3 == 0 ? "Administrators" : "Sales");
        u.put("created", TIME.format(p.createdAt()));
        u.put("modified", TIME.format(p.updatedAt()));
        u.putNull("logdate");
        return u;
    }

    /**
     * Fills what Magento computes on save: ids, scope fields, default address ids, timestamps. Addresses without an
     * id get the next of {@code addressIds}.
     */
    static ObjectNode complete(long id, ObjectNode c, Instant created, Instant updated, LongSupplier addressIds) {
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("group_id", c.path("group_id").asInt(1));
        int website = c.path("website_id").asInt(1);
        if (c.has("addresses")) {
            for (JsonNode a : c.get("addresses")) {
                ObjectNode address = (ObjectNode) a;
                if (!address.has("id")) {
                    address.put("id", addressIds.getAsLong());
                }
                address.put("customer_id", id);
                if (address.path("default_billing").asBoolean()) {
                    out.put("default_billing", address.get("id").asText());
                }
                if (address.path("default_shipping").asBoolean()) {
                    out.put("default_shipping", address.get("id").asText());
                }
            }
        }
        if (c.hasNonNull("confirmation")) {
            out.put("confirmation", c.get("confirmation").asText());
        }
        out.put("created_at", TIME.format(created));
        out.put("updated_at", TIME.format(updated));
        out.put("created_in", website == 1 ? "Default Store View" : "Deutsch");
        out.put("email", c.path("email").asText());
        out.put("firstname", c.path("firstname").asText());
        out.put("lastname", c.path("lastname").asText());
        out.put("store_id", website);
        out.put("website_id", website);
        out.set("addresses", c.has("addresses") ? c.get("addresses") : Json.array());
        out.put("disable_auto_group_change", 0);
        out.putObject("extension_attributes").put("is_subscribed", false);
        return out;
    }

    private static byte[] sha(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
