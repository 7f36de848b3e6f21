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

    String text(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    long number(String key, long fallback) {
        String v = text(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number but is '" + v + "'", e);
        }
    }

    boolean flag(String key, boolean fallback) {
        String v = text(key, null);
        if (v == null) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("setting " + key + " must be true or false but is '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
