package com.commerceidentity.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Start-up settings for the simulators, the {@code sandbox.*} keys without their prefix:
 * <ul>
 *   <li>{@code sandbox.seed}, {@code sandbox.customers}, {@code sandbox.staff}</li>
 *   <li>{@code sandbox.sharedShare} and {@code sandbox.sharedPool}: see {@link SeedGenerator}</li>
 *   <li>{@code sandbox.<platform>.port} (absent: a free port), e.g. {@code sandbox.shopify.port=8101}</li>
 *   <li>{@code sandbox.<platform>.webhookUrl}: where the simulator sends webhooks (platforms with
 *       subscription APIs also accept subscriptions at run time)</li>
 *   <li>{@code sandbox.<platform>.customers} / {@code .staff}: per-platform counts</li>
 *   <li>{@code sandbox.<platform>.latency-ms}: how long each answer takes, {@code 250} or a uniform
 *       {@code 100-500} drawn from the seed (default 0); see {@link Latency}</li>
 * </ul>
 * Their defaults live once, in application.properties ({@link #defaults()} reads the copy on the class path).
 * Any other {@code sandbox.<platform>.<key>} value is available through {@link #platform(String, String, String)}.
 */
public final class SandboxSettings {
    private static final String PREFIX = "sandbox.";

    private final Map<String, String> values;

    public SandboxSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The {@code sandbox.*} defaults of the application.properties on the class path (the one inside the jar). */
    public static SandboxSettings defaults() {
        Properties file = new Properties();
        try (InputStream in = SandboxSettings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IllegalStateException("no application.properties on the class path: it holds the sandbox"
                        + " defaults");
            }
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties from the class path", e);
        }
        return fromProperties(file);
    }

    /** The defaults, overridden by {@code -Dsandbox.*} (for {@link SandboxMain} and tests). */
    public static SandboxSettings fromSystemProperties() {
        Map<String, String> merged = new HashMap<>(defaults().values);
        merged.putAll(fromProperties(System.getProperties()).values);
        return new SandboxSettings(merged);
    }

    public static SandboxSettings fromProperties(Properties properties) {
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                values.put(name.substring(PREFIX.length()), properties.getProperty(name).trim());
            }
        }
        return new SandboxSettings(values);
    }

    /** A copy with one more value, e.g. {@code with("shopify.port", "8101")}. */
    public SandboxSettings with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new SandboxSettings(copy);
    }

    public long seed() {
        return Long.parseLong(required("seed"));
    }

    public int customers(String platform) {
        return Integer.parseInt(values.containsKey(platform + ".customers") ? values.get(platform + ".customers")
                : required("customers"));
    }

    public int staff(String platform) {
        return Integer.parseInt(values.containsKey(platform + ".staff") ? values.get(platform + ".staff")
                : required("staff"));
    }

    public int port(String platform) {
        String v = values.get(platform + ".port");
        return v == null ? 0 : Integer.parseInt(v);
    }

    public String webhookUrl(String platform) {
        return values.get(platform + ".webhookUrl");
    }

    public String platform(String platform, String key, String fallback) {
        return values.getOrDefault(platform + "." + key, fallback);
    }

    public SeedGenerator seedGenerator() {
        return new SeedGenerator(seed(), Double.parseDouble(required("sharedShare")),
                Integer.parseInt(required("sharedPool")));
    }

    private String required(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("setting " + PREFIX + key + " is not set; application.properties (the copy"
                    + " inside the jar too) lists every sandbox setting with its default");
        }
        return v;
    }
}
