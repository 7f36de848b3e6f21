package com.commerceidentity.app;

import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** Typed access to the operator's settings, with errors that name the key. */
final class Settings {
    private final PropertiesComponent properties;

    Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * A setting every installation has: its default lives once, in application.properties (the copy inside the
     * jar supplies it when the operator's file leaves it out), never again in Java.
     */
    String text(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException("setting " + key + " is not set;"
                + " application.properties (the copy inside the jar too) lists every setting with its default"));
    }

    long number(String key) {
        String v = text(key);
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number but is '" + v + "'", e);
        }
    }

    /**
     * Every key under {@code prefix} with its effective value: the listing includes keys set only with {@code -D}
     * or in the environment ({@link SettingSources}), and each value is resolved the way {@code {{key}}} is.
     */
    java.util.Properties withPrefix(String prefix) {
        java.util.Properties out = new java.util.Properties();
        for (String key : properties.loadProperties(k -> k.startsWith(prefix)).stringPropertyNames()) {
            properties.resolveProperty(key).ifPresent(v -> out.setProperty(key, v));
        }
        return out;
    }

    boolean flag(String key) {
        String v = text(key);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("setting " + key + " must be true or false but is '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
