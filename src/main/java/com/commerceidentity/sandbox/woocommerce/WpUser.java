package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WordPress user (wp_users row plus the user meta WooCommerce reads), customer or staff alike: WooCommerce's
 * customers endpoint serves every user. Rows held by {@link UserStore} are never changed; a change is a
 * {@link #copy()} that replaces the row, so a list page can be rendered outside the store's lock.
 */
final class WpUser {

    static final List<String> BILLING_KEYS = List.of("first_name", "last_name", "company", "address_1", "address_2",
            "city", "state", "postcode", "country", "email", "phone");
    static final List<String> SHIPPING_KEYS = List.of("first_name", "last_name", "company", "address_1", "address_2",
            "city", "state", "postcode", "country", "phone");

    final int id;
    String login;
    String email;
    String url = "";
    String displayName;
    /** wp_users.user_registered: date_created. */
    Instant registered;
    /** The 'last_update' user meta: date_modified, null until WooCommerce first writes it. */
    Instant lastUpdate;
    List<String> roles = new ArrayList<>();
    String firstName = "";
    String lastName = "";
    Map<String, String> billing = blank(BILLING_KEYS);
    Map<String, String> shipping = blank(SHIPPING_KEYS);
    boolean payingCustomer;
    ArrayNode meta = Json.array();

    WpUser(int id, Instant registered) {
        this.id = id;
        this.registered = registered;
    }

    static Map<String, String> blank(List<String> keys) {
        Map<String, String> address = new LinkedHashMap<>();
        keys.forEach(k -> address.put(k, ""));
        return address;
    }

    WpUser copy() {
        WpUser c = new WpUser(id, registered);
        c.login = login;
        c.email = email;
        c.url = url;
        c.displayName = displayName;
        c.lastUpdate = lastUpdate;
        c.roles = new ArrayList<>(roles);
        c.firstName = firstName;
        c.lastName = lastName;
        c.billing = new LinkedHashMap<>(billing);
        c.shipping = new LinkedHashMap<>(shipping);
        c.payingCustomer = payingCustomer;
        c.meta = meta.deepCopy();
        return c;
    }

    /** WC_Customer::get_role(): the first role only; a user without any role reads as 'customer'. */
    String role() {
        return roles.isEmpty() ? "customer" : roles.get(0);
    }

    boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** user_nicename: sanitize_title() of the login. */
    String nicename() {
        return ascii(login).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_\\-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
    }

    /** display_name as MySQL's case- and accent-insensitive collation compares it. */
    String sortName() {
        return ascii(displayName == null ? "" : displayName).toLowerCase(Locale.ROOT);
    }

    /** wp_insert_user() for a new user without a display name: "First Last", either name, or the login. */
    static String defaultDisplayName(String first, String last, String login) {
        boolean hasFirst = first != null && !first.isBlank();
        boolean hasLast = last != null && !last.isBlank();
        if (hasFirst && hasLast) {
            return first + " " + last;
        }
        return hasFirst ? first : hasLast ? last : login;
    }

    /** Applies control-API fields in the REST shape; read-only ones (id, dates, avatar_url, role) are ignored. */
    void merge(JsonNode f) {
        if (f.has("email")) email = f.get("email").asText();
        if (f.has("first_name")) firstName = f.get("first_name").asText("");
        if (f.has("last_name")) lastName = f.get("last_name").asText("");
        if (f.has("display_name")) displayName = f.get("display_name").asText("");
        if (f.has("is_paying_customer")) payingCustomer = f.get("is_paying_customer").asBoolean();
        mergeAddress(billing, f.path("billing"));
        mergeAddress(shipping, f.path("shipping"));
        if (f.path("meta_data").isArray()) {
            ArrayNode replaced = Json.array();
            int n = 0;
            for (JsonNode item : f.get("meta_data")) {
                ObjectNode m = replaced.addObject();
                m.put("id", item.path("id").isIntegralNumber() ? item.get("id").asInt() : id * 100 + ++n);
                m.put("key", item.path("key").asText());
                m.set("value", item.path("value").deepCopy());
            }
            meta = replaced;
        }
    }

    private static void mergeAddress(Map<String, String> address, JsonNode fields) {
        if (fields.isObject()) {
            fields.fields().forEachRemaining(e -> {
                if (address.containsKey(e.getKey())) {
                    address.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
                }
            });
        }
    }

    /** The wc/v3 customer object in the order of customer_shape_v3.fields_in_order, with _links. */
    ObjectNode toRest(Site site) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("date_created", site.local(registered));
        node.put("date_created_gmt", site.gmt(registered));
        if (lastUpdate == null) {
            node.putNull("date_modified");
            node.putNull("date_modified_gmt");
        } else {
            node.put("date_modified", site.local(lastUpdate));
            node.put("date_modified_gmt", site.gmt(lastUpdate));
        }
        node.put("email", email);
        node.put("first_name", firstName);
        node.put("last_name", lastName);
        node.put("role", role());
        node.put("username", login);
        ObjectNode b = node.putObject("billing");
        billing.forEach(b::put);
        ObjectNode s = node.putObject("shipping");
        shipping.forEach(s::put);
        node.put("is_paying_customer", payingCustomer);
        node.put("avatar_url", avatarUrl(email));
        node.set("meta_data", meta.deepCopy());
        ObjectNode links = node.putObject("_links");
        links.putArray("self").addObject().put("href", site.api("/customers/" + id));
        links.putArray("collection").addObject().put("href", site.api("/customers"));
        return node;
    }

    /** get_avatar_url() as the docs' example shows it: Gravatar hash of the trimmed, lower-cased address, size 96. */
    static String avatarUrl(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(
                    (email == null ? "" : email.trim().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return "https://secure.gravatar.com/avatar/" + HexFormat.of().formatHex(digest) + "?s=96";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ascii(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }
}
