package com.commerceidentity.model;

import java.util.Locale;

/** Where an account observation came from: an API surface, a webhook, or an export handed in by ops. */
public enum Surface {
    REST, GRAPHQL, SCIM, WEBHOOK, FILE, HTTP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Surface of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return id();
    }
}
