package com.commerceidentity.model;

import java.util.Locale;

/** Whether an account is a storefront customer or an admin/staff user of the store. */
public enum Kind {
    CUSTOMER, STAFF;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Kind of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return id();
    }
}
