package com.commerceidentity.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The {@code app.store-defaults.*} the jar ships, for tests that build a {@link StoreConfig} by hand. */
public final class ShippedDefaults {
    private ShippedDefaults() {
    }

    /** {@code own} over the shipped defaults, as {@link StoreRegistry#load} merges them for a configured store. */
    public static Map<String, String> storeSettings(Map<String, String> own) {
        Properties file = new Properties();
        try (InputStream in = ShippedDefaults.class.getClassLoader().getResourceAsStream("application.properties")) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new HashMap<>(StoreDefaults.from(file));
        out.putAll(own);
        return out;
    }
}
