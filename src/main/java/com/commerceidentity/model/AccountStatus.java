package com.commerceidentity.model;

import java.util.Locale;

/** Canonical account state; each platform's own states are mapped onto these four. */
public enum AccountStatus {
    ACTIVE, DISABLED, INVITED, DELETED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AccountStatus of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return id();
    }
}
