package com.commerceidentity.sandbox.shopify;

import java.time.Instant;

/** A staff member of the shop (GraphQL StaffMember and SCIM User views). */
record ShopifyStaff(long id, String firstName, String lastName, String email, String phone, boolean active,
                    String accountType, boolean shopOwner, String locale, Instant createdAt, Instant updatedAt) {

    String gid() {
        return "gid://shopify/StaffMember/" + id;
    }

    String name() {
        return ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
    }
}
