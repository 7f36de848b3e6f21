package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.ZoneId;
import java.util.Set;

/**
 * Knobs of the Shopify simulator. Start-up values come from {@code sandbox.shopify.<knob>} system properties;
 * at run time from {@code POST /_sandbox/config} with the same names.
 */
final class ShopifyConfig {

    static final Set<String> KNOBS = Set.of("accessToken", "scimToken", "appSecret", "shopDomain", "shopId",
            "timezone", "bucketCapacity", "leakPerSecond", "graphqlMaximumAvailable", "graphqlRestoreRate",
            "webhookUrl", "webhookApiVersion", "coTenantRequestsPerSecond", "coTenantSpend", "coTenantGraphqlSpend",
            "accessScopes");

    volatile String accessToken;
    volatile String scimToken;
    volatile String appSecret;
    volatile String shopDomain;
    volatile long shopId;
    volatile ZoneId timezone;
    volatile double bucketCapacity;
    volatile double leakPerSecond;
    volatile double graphqlMaximumAvailable;
    volatile double graphqlRestoreRate;
    volatile String webhookUrl;
    volatile String webhookApiVersion;
    volatile double coTenantRequestsPerSecond;
    /**
     * The access scopes the app's token was granted (comma-separated): without read_customers the customers
     * endpoints answer 403, without read_users {@code staffMembers} answers ACCESS_DENIED, as Shopify does.
     */
    volatile Set<String> accessScopes;

    ShopifyConfig(SandboxSettings settings) {
        accessToken = settings.platform("shopify", "accessToken", "shpat_sandbox_0123456789abcdef");
        scimToken = settings.platform("shopify", "scimToken", "scim_sandbox_token");
        appSecret = settings.platform("shopify", "appSecret", "sandbox_app_secret");
        shopDomain = settings.platform("shopify", "shopDomain", "sandbox-shop.myshopify.com");
        shopId = Long.parseLong(settings.platform("shopify", "shopId", "548380009"));
        timezone = ZoneId.of(settings.platform("shopify", "timezone", "America/New_York"));
        bucketCapacity = Double.parseDouble(settings.platform("shopify", "bucketCapacity", "40"));
        leakPerSecond = Double.parseDouble(settings.platform("shopify", "leakPerSecond", "2"));
        graphqlMaximumAvailable = Double.parseDouble(settings.platform("shopify", "graphqlMaximumAvailable", "1000"));
        graphqlRestoreRate = Double.parseDouble(settings.platform("shopify", "graphqlRestoreRate", "50"));
        webhookUrl = settings.webhookUrl("shopify");
        webhookApiVersion = settings.platform("shopify", "webhookApiVersion", "2025-07");
        coTenantRequestsPerSecond = Double.parseDouble(settings.platform("shopify", "coTenantRequestsPerSecond", "0"));
        accessScopes = scopes(settings.platform("shopify", "accessScopes", "read_customers,read_users"));
    }

    private static Set<String> scopes(String list) {
        return Set.copyOf(java.util.Arrays.stream(list.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
    }

    /** Shopify's write_X scope implies read_X. */
    boolean granted(String scope) {
        return accessScopes.contains(scope) || accessScopes.contains(scope.replace("read_", "write_"));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("accessToken", accessToken);
        node.put("scimToken", scimToken);
        node.put("appSecret", appSecret);
        node.put("shopDomain", shopDomain);
        node.put("shopId", shopId);
        node.put("timezone", timezone.getId());
        node.put("bucketCapacity", bucketCapacity);
        node.put("leakPerSecond", leakPerSecond);
        node.put("graphqlMaximumAvailable", graphqlMaximumAvailable);
        node.put("graphqlRestoreRate", graphqlRestoreRate);
        node.put("webhookUrl", webhookUrl);
        node.put("webhookApiVersion", webhookApiVersion);
        node.put("coTenantRequestsPerSecond", coTenantRequestsPerSecond);
        node.put("accessScopes", String.join(",", new java.util.TreeSet<>(accessScopes)));
        return node;
    }

    /** Applies simple knobs; returns the one-off spends ({@code coTenantSpend}, {@code coTenantGraphqlSpend}) to the caller. */
    void apply(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            if (!KNOBS.contains(name)) {
                throw new IllegalArgumentException("unknown knob " + name + "; known: " + KNOBS);
            }
        });
        if (patch.has("accessToken")) accessToken = patch.get("accessToken").asText();
        if (patch.has("scimToken")) scimToken = patch.get("scimToken").asText();
        if (patch.has("appSecret")) appSecret = patch.get("appSecret").asText();
        if (patch.has("shopDomain")) shopDomain = patch.get("shopDomain").asText();
        if (patch.has("shopId")) shopId = patch.get("shopId").asLong();
        if (patch.has("timezone")) timezone = ZoneId.of(patch.get("timezone").asText());
        if (patch.has("bucketCapacity")) bucketCapacity = positive(patch, "bucketCapacity");
        if (patch.has("leakPerSecond")) leakPerSecond = positive(patch, "leakPerSecond");
        if (patch.has("graphqlMaximumAvailable")) graphqlMaximumAvailable = positive(patch, "graphqlMaximumAvailable");
        if (patch.has("graphqlRestoreRate")) graphqlRestoreRate = positive(patch, "graphqlRestoreRate");
        if (patch.has("webhookUrl")) webhookUrl = Json.text(patch, "webhookUrl");
        if (patch.has("webhookApiVersion")) webhookApiVersion = patch.get("webhookApiVersion").asText();
        if (patch.has("accessScopes")) accessScopes = scopes(patch.get("accessScopes").asText());
        if (patch.has("coTenantRequestsPerSecond")) coTenantRequestsPerSecond = Math.max(0, patch.get("coTenantRequestsPerSecond").asDouble());
    }

    private static double positive(JsonNode patch, String name) {
        double value = patch.get(name).asDouble();
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
        return value;
    }
}
