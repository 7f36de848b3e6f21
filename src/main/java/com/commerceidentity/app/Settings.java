package com.commerceidentity.app;

import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** Settings that may be absent, and every key under a prefix (the beans read the others with @PropertyInject). */
final class Settings {
    private final PropertiesComponent properties;

    Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * A whole-number setting read before the configuration classes run (a main listener): its default is in
     * application.properties like every other.
     */
    long number(String key) {
        String v = optional(key).orElseThrow(() -> new IllegalStateException("setting " + key + " is not set;"
                + " application.properties (the copy inside the jar too) lists every setting with its default"));
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number but is '" + v + "'", e);
        }
    }

    /** An ISO-8601 duration ({@code P30D}, {@code PT12H}) when set; absent when the key is empty. */
    Optional<java.time.Duration> duration(String key) {
        return optional(key).map(v -> {
            try {
                return java.time.Duration.parse(v);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("setting " + key + " must be an ISO-8601 duration such as P30D or"
                        + " PT12H but is '" + v + "'", e);
            }
        });
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
}
