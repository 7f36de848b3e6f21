package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Knobs of the Magento simulator. Start-up values come from {@code sandbox.magento.<knob>} (the token lifetime,
 * latency, concurrency cap, webhook URL and the three stock-store switches {@code twoFactorAuth},
 * {@code integrationAsBearer}, {@code adminUsersEndpoint} are read there); at run time from {@code POST /_sandbox/config}.
 * The defaults are a stock 2.4.8 store: 2FA on, integration tokens refused as Bearer, no {@code /V1/users}.
 */
final class MagentoConfig {

    /** The one-off actions {@code regenerateKeyPair} and {@code resetPeak} are accepted here and done by the simulator. */
    static final List<String> KNOBS = List.of("adminUsername", "adminPassword", "adminTokenLifetimeSeconds",
            "latencyMillis", "maxConcurrent", "maxPageSize", "adminUsersEndpoint", "stores", "webhookUrl",
            "twoFactorAuth", "integrationAsBearer", "consumerKey", "consumerSecret", "accessToken",
            "accessTokenSecret", "regenerateKeyPair", "resetPeak");

    /** Magento's OAuth credentials are 32 characters of [0-9a-z] (Helper\Oauth LENGTH_* = 32). */
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    volatile String adminUsername = "admin";
    volatile String adminPassword = "sandbox123";
    volatile long adminTokenLifetimeSeconds = 4 * 3600;
    volatile long latencyMillis;
    volatile int maxConcurrent;
    volatile int maxPageSize = 300;
    /** Stock 2.4.8 has no admin-user list: off unless a test needs an extension-style {@code /V1/users}. */
    volatile boolean adminUsersEndpoint;
    /** Magento_TwoFactorAuth enabled (the stock default): the admin token endpoint refuses to issue tokens. */
    volatile boolean twoFactorAuth = true;
    /** oauth/consumer/enable_integration_as_bearer (default 0 since 2.4.4). */
    volatile boolean integrationAsBearer;
    /**
     * The one activated integration's credentials (derived from sandbox.seed, so they survive a restart; knobs to set
     * known ones).
     */
    volatile String consumerKey;
    volatile String consumerSecret;
    volatile String accessToken;
    volatile String accessTokenSecret;
    volatile Map<String, Integer> stores = Map.of("default", 1, "de", 2);
    volatile String webhookUrl;

    MagentoConfig(SandboxSettings settings) {
        java.util.Random seeded = new java.util.Random(settings.seed() * 37 + 0x3A6);
        consumerKey = key(seeded);
        consumerSecret = key(seeded);
        accessToken = key(seeded);
        accessTokenSecret = key(seeded);
        adminTokenLifetimeSeconds = Long.parseLong(settings.platform("magento", "adminTokenLifetimeSeconds",
                String.valueOf(adminTokenLifetimeSeconds)));
        latencyMillis = Long.parseLong(settings.platform("magento", "latencyMillis", "0"));
        maxConcurrent = Integer.parseInt(settings.platform("magento", "maxConcurrent", "0"));
        webhookUrl = settings.webhookUrl("magento");
        twoFactorAuth = Boolean.parseBoolean(settings.platform("magento", "twoFactorAuth", "true"));
        integrationAsBearer = Boolean.parseBoolean(settings.platform("magento", "integrationAsBearer", "false"));
        adminUsersEndpoint = Boolean.parseBoolean(settings.platform("magento", "adminUsersEndpoint", "false"));
    }

    static String key(java.util.Random random) {
        StringBuilder out = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    /** Website of a store code: 0 for {@code all} (every website), null when the code is unknown. */
    Integer website(String storeCode) {
        if (storeCode.equals("all")) {
            return 0;
        }
        return stores.get(storeCode);
    }

    ObjectNode toJson() {
        ObjectNode c = Json.object();
        c.put("adminUsername", adminUsername);
        c.put("adminPassword", adminPassword);
        c.put("adminTokenLifetimeSeconds", adminTokenLifetimeSeconds);
        c.put("latencyMillis", latencyMillis);
        c.put("maxConcurrent", maxConcurrent);
        c.put("maxPageSize", maxPageSize);
        c.put("adminUsersEndpoint", adminUsersEndpoint);
        c.put("twoFactorAuth", twoFactorAuth);
        c.put("integrationAsBearer", integrationAsBearer);
        c.put("consumerKey", consumerKey);
        c.put("consumerSecret", consumerSecret);
        c.put("accessToken", accessToken);
        c.put("accessTokenSecret", accessTokenSecret);
        c.set("stores", Json.MAPPER.valueToTree(stores));
        c.put("webhookUrl", webhookUrl);
        return c;
    }

    /** Rejects the whole patch on an unknown name before changing anything; a bad value stops it part-way. */
    void apply(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            if (!KNOBS.contains(name)) {
                throw new IllegalArgumentException("unknown knob " + name);
            }
        });
        if (patch.has("adminUsername")) {
            adminUsername = patch.get("adminUsername").asText();
        }
        if (patch.has("adminPassword")) {
            adminPassword = patch.get("adminPassword").asText();
        }
        if (patch.has("adminTokenLifetimeSeconds")) {
            adminTokenLifetimeSeconds = nonNegative(patch, "adminTokenLifetimeSeconds");
        }
        if (patch.has("latencyMillis")) {
            latencyMillis = nonNegative(patch, "latencyMillis");
        }
        if (patch.has("maxConcurrent")) {
            maxConcurrent = (int) nonNegative(patch, "maxConcurrent");
        }
        if (patch.has("maxPageSize")) {
            maxPageSize = (int) nonNegative(patch, "maxPageSize");
        }
        if (patch.has("adminUsersEndpoint")) {
            adminUsersEndpoint = patch.get("adminUsersEndpoint").asBoolean();
        }
        if (patch.has("twoFactorAuth")) {
            twoFactorAuth = patch.get("twoFactorAuth").asBoolean();
        }
        if (patch.has("integrationAsBearer")) {
            integrationAsBearer = patch.get("integrationAsBearer").asBoolean();
        }
        if (patch.has("consumerKey")) {
            consumerKey = patch.get("consumerKey").asText();
        }
        if (patch.has("consumerSecret")) {
            consumerSecret = patch.get("consumerSecret").asText();
        }
        if (patch.has("accessToken")) {
            accessToken = patch.get("accessToken").asText();
        }
        if (patch.has("accessTokenSecret")) {
            accessTokenSecret = patch.get("accessTokenSecret").asText();
        }
        if (patch.has("stores")) {
            Map<String, Integer> next = new LinkedHashMap<>();
            patch.get("stores").fields().forEachRemaining(e -> next.put(e.getKey(), e.getValue().asInt()));
            stores = Map.copyOf(next);
        }
        if (patch.has("webhookUrl")) {
            webhookUrl = patch.get("webhookUrl").isNull() ? null : patch.get("webhookUrl").asText();
        }
    }

    private static long nonNegative(JsonNode patch, String name) {
        JsonNode v = patch.get(name);
        if (!v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative integer");
        }
        return v.asLong();
    }
}
