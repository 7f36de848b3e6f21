package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A customer as the BigCommerce store holds it, rendered in the customer_Full shape of customers.v3.yml. */
final class BigCommerceCustomer {

    final int id;
    String email;
    String firstName;
    String lastName;
    String company = "";
    String phone = "";
    String notes = "";
    String taxExemptCategory = "";
    String registrationIpAddress = "";
    int customerGroupId;
    boolean acceptsEmails;
    boolean forcePasswordReset;
    int originChannelId = 1;
    List<Integer> channelIds = new ArrayList<>(List.of(1));
    Instant dateCreated;
    Instant dateModified;

    BigCommerceCustomer(int id, Instant created) {
        this.id = id;
        this.dateCreated = created.truncatedTo(ChronoUnit.SECONDS);
        this.dateModified = this.dateCreated;
    }

    /** A copy that later changes to this customer leave alone. */
    BigCommerceCustomer snapshot() {
        BigCommerceCustomer copy = new BigCommerceCustomer(id, dateCreated);
        copy.email = email;
        copy.firstName = firstName;
        copy.lastName = lastName;
        copy.company = company;
        copy.phone = phone;
        copy.notes = notes;
        copy.taxExemptCategory = taxExemptCategory;
        copy.registrationIpAddress = registrationIpAddress;
        copy.customerGroupId = customerGroupId;
        copy.acceptsEmails = acceptsEmails;
        copy.forcePasswordReset = forcePasswordReset;
        copy.originChannelId = originChannelId;
        copy.channelIds = new ArrayList<>(channelIds);
        copy.dateModified = dateModified;
        return copy;
    }

    /** Applies writable customer_Post/customer_Put fields; read-only ones (id, dates, origin) are ignored. */
    void merge(JsonNode f) {
        if (f.has("email")) email = f.get("email").asText();
        if (f.has("first_name")) firstName = f.get("first_name").asText();
        if (f.has("last_name")) lastName = f.get("last_name").asText();
        if (f.has("company")) company = f.get("company").asText("");
        if (f.has("phone")) phone = f.get("phone").asText("");
        if (f.has("notes")) notes = f.get("notes").asText("");
        if (f.has("tax_exempt_category")) taxExemptCategory = f.get("tax_exempt_category").asText("");
        if (f.has("registration_ip_address")) registrationIpAddress = f.get("registration_ip_address").asText("");
        if (f.has("customer_group_id")) customerGroupId = f.get("customer_group_id").asInt();
        if (f.has("accepts_product_review_abandoned_cart_emails")) acceptsEmails = f.get("accepts_product_review_abandoned_cart_emails").asBoolean();
        if (f.path("authentication").has("force_password_reset")) forcePasswordReset = f.path("authentication").get("force_password_reset").asBoolean();
        if (f.has("channel_ids") && f.get("channel_ids").isArray()) {
            channelIds = new ArrayList<>();
            f.get("channel_ids").forEach(c -> channelIds.add(c.asInt()));
        }
    }

    static String date(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("company", company);
        node.put("customer_group_id", customerGroupId);
        node.put("email", email);
        node.put("first_name", firstName);
        node.put("last_name", lastName);
        node.put("notes", notes);
        node.put("phone", phone);
        node.put("registration_ip_address", registrationIpAddress);
        node.put("tax_exempt_category", taxExemptCategory);
        node.put("date_created", date(dateCreated));
        node.put("date_modified", date(dateModified));
        node.put("accepts_product_review_abandoned_cart_emails", acceptsEmails);
        node.putObject("authentication").put("force_password_reset", forcePasswordReset);
        node.put("origin_channel_id", originChannelId);
        ArrayNode channels = node.putArray("channel_ids");
        channelIds.forEach(channels::add);
        return node;
    }
}
