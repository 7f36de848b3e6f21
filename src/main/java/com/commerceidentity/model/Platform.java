package com.commerceidentity.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The commerce platforms we read identities from. The id is what appears in keys, paths and config. */
public enum Platform {
    SHOPIFY("shopify"), BIGCOMMERCE("bigcommerce"), MAGENTO("magento"), MEDUSA("medusa");

    private final String id;

    Platform(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses a platform id; an unknown id is an error that lists the known ones (never a silent drop). */
    public static Platform of(String id) {
        if (id != null) {
            String wanted = id.trim().toLowerCase(Locale.ROOT);
            for (Platform p : values()) {
                if (p.id.equals(wanted)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown platform '" + id + "'; known platforms: "
                + Arrays.stream(values()).map(Platform::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
