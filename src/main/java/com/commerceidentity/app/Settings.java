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

    /**
     * Every key under {@code prefix} with its effective value. The properties loader lists only the files' keys,
     * with the files' values: a key set on the command line or in the environment would be missed, or lose to
     * the copy of application.properties inside the jar. Keys are gathered from all three (an environment
     * variable {@code SANDBOX_BIGCOMMERCE_CUSTOMERS} names {@code sandbox.bigcommerce.customers}) and each
     * value is resolved the way {@code {{key}}} is, so the command line and the environment win, as documented.
     */
    java.util.Properties withPrefix(String prefix) {
        java.util.Set<String> keys = new java.util.TreeSet<>(properties.loadProperties(k -> k.startsWith(prefix))
                .stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        String envPrefix = prefix.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
        System.getenv().keySet().stream().filter(k -> k.startsWith(envPrefix))
                .map(k -> k.toLowerCase(java.util.Locale.ROOT).replace('_', '.')).forEach(keys::add);
        java.util.Properties out = new java.util.Properties();
        for (String key : keys) {
            properties.resolveProperty(key).ifPresent(v -> out.setProperty(key, v));
        }
        return out;
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
