package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * Knobs of the BigCommerce simulator: {@code sandbox.bigcommerce.<knob>} at start, {@code POST /_sandbox/config}
 * at run time. One-off knobs ({@code coTenantSpend}, {@code overloadNext}) are handled by the simulator.
 */
final class BigCommerceConfig {

    static final Set<String> KNOBS = Set.of("storeHash", "storeId", "accessToken", "clientId", "clientSecret",
            "quota", "windowMillis", "retryAfter", "coTenantRequestsPerSecond", "coTenantSpend", "overloadNext");

    volatile String storeHash;
    volatile String storeId;
    volatile String accessToken;
    volatile String clientId;
    volatile String clientSecret;
    volatile int quota;
    volatile long windowMillis;
    volatile boolean retryAfter;
    volatile double coTenantRequestsPerSecond;

    BigCommerceConfig(SandboxSettings s) {
        storeHash = s.platform("bigcommerce", "storeHash", "abc123");
        storeId = s.platform("bigcommerce", "storeId", "1025646");
        accessToken = s.platform("bigcommerce", "accessToken", "bc-sandbox-access-token");
        clientId = s.platform("bigcommerce", "clientId", "bc-sandbox-client-id");
        clientSecret = s.platform("bigcommerce", "clientSecret", "bc-example-client-secret");
        quota = Integer.parseInt(s.platform("bigcommerce", "quota", "150"));
        windowMillis = Long.parseLong(s.platform("bigcommerce", "windowMillis", "30000"));
        retryAfter = Boolean.parseBoolean(s.platform("bigcommerce", "retryAfter", "false"));
        coTenantRequestsPerSecond = Double.parseDouble(s.platform("bigcommerce", "coTenantRequestsPerSecond", "0"));
    }

    void apply(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            if (!KNOBS.contains(name)) {
                throw new IllegalArgumentException("unknown knob " + name + "; known: " + KNOBS);
            }
        });
        if (patch.has("storeHash")) storeHash = patch.get("storeHash").asText();
        if (patch.has("storeId")) storeId = patch.get("storeId").asText();
        if (patch.has("accessToken")) accessToken = patch.get("accessToken").asText();
        if (patch.has("clientId")) clientId = patch.get("clientId").asText();
        if (patch.has("clientSecret")) clientSecret = patch.get("clientSecret").asText();
        if (patch.has("quota")) {
            if (patch.get("quota").asInt() < 1) throw new IllegalArgumentException("quota must be >= 1");
            quota = patch.get("quota").asInt();
        }
        if (patch.has("windowMillis")) {
            if (patch.get("windowMillis").asLong() < 1) throw new IllegalArgumentException("windowMillis must be >= 1");
            windowMillis = patch.get("windowMillis").asLong();
        }
        if (patch.has("retryAfter")) retryAfter = patch.get("retryAfter").asBoolean();
        if (patch.has("coTenantRequestsPerSecond")) coTenantRequestsPerSecond = Math.max(0, patch.get("coTenantRequestsPerSecond").asDouble());
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("storeHash", storeHash);
        node.put("storeId", storeId);
        node.put("accessToken", accessToken);
        node.put("clientId", clientId);
        node.put("clientSecret", clientSecret);
        node.put("quota", quota);
        node.put("windowMillis", windowMillis);
        node.put("retryAfter", retryAfter);
        node.put("coTenantRequestsPerSecond", coTenantRequestsPerSecond);
        return node;
    }
}
