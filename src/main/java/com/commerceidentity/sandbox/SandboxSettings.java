package com.commerceidentity.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Start-up settings for the simulators, read from system properties by {@link #fromSystemProperties()}:
 * <ul>
 *   <li>{@code sandbox.seed} (default 42), {@code sandbox.customers} (default 120), {@code sandbox.staff} (default 12)</li>
 *   <li>{@code sandbox.sharedShare} (default 0.3) and {@code sandbox.sharedPool} (default 200): see {@link SeedGenerator}</li>
 *   <li>{@code sandbox.<platform>.port} (default 0 = ephemeral), e.g. {@code sandbox.shopify.port=8101}</li>
 *   <li>{@code sandbox.<platform>.webhookUrl}: where the simulator sends webhooks (platforms with
 *       subscription APIs also accept subscriptions at run time)</li>
 *   <li>{@code sandbox.<platform>.customers}: per-platform override of the customer count</li>
 *   <li>{@code sandbox.<platform>.latency-ms}: how long each answer takes, {@code 250} or a uniform
 *       {@code 100-500} drawn from the seed (default 0); see {@link Latency}</li>
 * </ul>
 * Any other {@code sandbox.<platform>.<key>} value is available through {@link #platform(String, String, String)}.
 */
public final class SandboxSettings {

    private final Map<String, String> values;

    public SandboxSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static SandboxSettings defaults() {
        return new SandboxSettings(Map.of());
    }

    public static SandboxSettings fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    public static SandboxSettings fromProperties(Properties properties) {
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("sandbox.")) {
                values.put(name.substring("sandbox.".length()), properties.getProperty(name));
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
        return Long.parseLong(values.getOrDefault("seed", "42"));
    }

    public int customers(String platform) {
        return Integer.parseInt(values.getOrDefault(platform + ".customers", values.getOrDefault("customers", "120")));
    }

    public int staff(String platform) {
        return Integer.parseInt(values.getOrDefault(platform + ".staff", values.getOrDefault("staff", "12")));
    }

    public int port(String platform) {
        return Integer.parseInt(values.getOrDefault(platform + ".port", "0"));
    }

    public String webhookUrl(String platform) {
        return values.get(platform + ".webhookUrl");
    }

    public String platform(String platform, String key, String fallback) {
        return values.getOrDefault(platform + "." + key, fallback);
    }

    public SeedGenerator seedGenerator() {
        return new SeedGenerator(seed(),
                Double.parseDouble(values.getOrDefault("sharedShare", "0.3")),
                Integer.parseInt(values.getOrDefault("sharedPool", "200")));
    }
}
