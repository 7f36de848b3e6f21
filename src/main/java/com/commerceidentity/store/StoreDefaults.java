package com.commerceidentity.store;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code app.store-defaults.<key>}: the value of {@code stores.<id>.<key>} for every store that does not set its own.
 * These defaults live in application.properties only; a store's {@link StoreConfig#settings()} holds them merged
 * under its own keys, and {@link StoreConfig#setting(String)} reads one.
 */
public final class StoreDefaults {
    public static final String PREFIX = "app.store-defaults.";

    private StoreDefaults() {
    }

    /** The defaults among {@code properties}, by store key ({@code sync.enabled}, ...). */
    public static Map<String, String> from(Properties properties) {
        Map<String, String> out = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                out.put(key.substring(PREFIX.length()), properties.getProperty(key).trim());
            }
        }
        return out;
    }
}
