package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/** A Shopify customer as the store holds it; rendered in the REST Admin 2025-07 shape. */
final class ShopifyCustomer {

    static final Set<String> STATES = Set.of("enabled", "disabled", "invited", "declined");
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    final long id;
    String email;
    String firstName;
    String lastName;
    String phone;
    String state;
    boolean verifiedEmail;
    String note;
    String tags = "";
    Instant createdAt;
    Instant updatedAt;

    ShopifyCustomer(long id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
        this.updatedAt = this.createdAt;
    }

    /** The customer as it is now: a bulk operation's snapshot, which later changes must not reach. */
    ShopifyCustomer copy() {
        ShopifyCustomer c = new ShopifyCustomer(id, createdAt);
        c.email = email;
        c.firstName = firstName;
        c.lastName = lastName;
        c.phone = phone;
        c.state = state;
        c.verifiedEmail = verifiedEmail;
        c.note = note;
        c.tags = tags;
        c.updatedAt = updatedAt;
        return c;
    }

    static String timestamp(Instant instant, ZoneId zone) {
        return TIMESTAMP.format(instant.atZone(zone));
    }

    /** Applies REST-shaped fields (first_name, last_name, email, phone, state, verified_email, note, tags). */
    void merge(JsonNode fields) {
        if (fields.has("email")) email = Json.text(fields, "email");
        if (fields.has("first_name")) firstName = Json.text(fields, "first_name");
        if (fields.has("last_name")) lastName = Json.text(fields, "last_name");
        if (fields.has("phone")) phone = ShopifyPhones.toE164(Json.text(fields, "phone"));
        if (fields.has("verified_email")) verifiedEmail = fields.get("verified_email").asBoolean();
        if (fields.has("note")) note = Json.text(fields, "note");
        if (fields.has("tags")) tags = fields.get("tags").asText("");
        if (fields.has("state")) {
            String newState = fields.get("state").asText();
            if (!STATES.contains(newState)) {
                throw new IllegalArgumentException("state must be one of " + STATES);
            }
            state = newState;
        }
    }

    ObjectNode toJson(ZoneId zone, String currency) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("email", email);
        node.put("created_at", timestamp(createdAt, zone));
        node.put("updated_at", timestamp(updatedAt, zone));
        node.put("first_name", firstName);
        node.put("last_name", lastName);
        node.put("orders_count", 0);
        node.put("state", state);
        node.put("total_spent", "0.00");
        node.putNull("last_order_id");
        node.put("note", note);
        node.put("verified_email", verifiedEmail);
        node.putNull("multipass_identifier");
        node.put("tax_exempt", false);
        node.put("tags", tags);
        node.putNull("last_order_name");
        node.put("currency", currency);
        node.put("phone", phone);
        node.putArray("addresses");
        node.putArray("tax_exemptions");
        ObjectNode emailConsent = node.putObject("email_marketing_consent");
        emailConsent.put("state", "not_subscribed");
        emailConsent.put("opt_in_level", "single_opt_in");
        emailConsent.putNull("consent_updated_at");
        if (phone == null) {
            node.putNull("sms_marketing_consent");
        } else {
            ObjectNode smsConsent = node.putObject("sms_marketing_consent");
            smsConsent.put("state", "not_subscribed");
            smsConsent.put("opt_in_level", "single_opt_in");
            smsConsent.putNull("consent_updated_at");
            smsConsent.put("consent_collected_from", "OTHER");
        }
        node.put("admin_graphql_api_id", "gid://shopify/Customer/" + id);
        return node;
    }
}
