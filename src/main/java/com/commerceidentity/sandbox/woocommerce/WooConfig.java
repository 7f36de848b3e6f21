package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.ZoneId;
import java.util.Random;
import java.util.Set;

/**
 * Knobs of the WooCommerce simulator: {@code sandbox.woocommerce.<knob>} at start, {@code POST /_sandbox/config}
 * at run time. Credentials and salts default to values derived from the sandbox seed, so a seed always yields the
 * same keys. The API key knobs are applied to the site's one key by the simulator.
 */
final class WooConfig {

    static final Set<String> KNOBS = Set.of("consumerKey", "consumerSecret", "keyPermissions", "keyUserId", "https",
            "homeUrl", "timezone", "safeRemoteRequests", "deliveryDelayMillis", "webhookSecret");

    final String authSalt;
    volatile String consumerKey;
    volatile String consumerSecret;
    volatile String keyPermissions;
    volatile int keyUserId;
    /** is_ssl() of the simulated site: Basic and ?consumer_key= are looked at only when true. */
    volatile boolean https;
    /** The WordPress 'home' option; null = the simulator's own base URL. */
    volatile String homeUrl;
    volatile ZoneId timezone;
    /** wp_safe_remote_request(): webhook and ping URLs on loopback/private hosts or odd ports are refused. */
    volatile boolean safeRemoteRequests;
    volatile long deliveryDelayMillis;
    /** Secret of the webhooks created at start for {@code sandbox.woocommerce.webhookUrl}. */
    volatile String webhookSecret;

    WooConfig(SandboxSettings s) {
        Random seeded = new Random(s.seed() * 31 + 0x57C);
        String key = "ck_" + hex(seeded, 20);
        String secret = "cs_" + hex(seeded, 20);
        authSalt = hex(seeded, 32);
        String hookSecret = "wc_whsec_" + hex(seeded, 16);
        consumerKey = s.platform("woocommerce", "consumerKey", key);
        consumerSecret = s.platform("woocommerce", "consumerSecret", secret);
        keyPermissions = s.platform("woocommerce", "keyPermissions", "read_write");
        keyUserId = Integer.parseInt(s.platform("woocommerce", "keyUserId", "1"));
        https = Boolean.parseBoolean(s.platform("woocommerce", "https", "true"));
        homeUrl = s.platform("woocommerce", "homeUrl", null);
        timezone = ZoneId.of(s.platform("woocommerce", "timezone", "UTC"));
        safeRemoteRequests = Boolean.parseBoolean(s.platform("woocommerce", "safeRemoteRequests", "true"));
        deliveryDelayMillis = Long.parseLong(s.platform("woocommerce", "deliveryDelayMillis", "0"));
        webhookSecret = s.platform("woocommerce", "webhookSecret", hookSecret);
    }

    void apply(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            if (!KNOBS.contains(name)) {
                throw new IllegalArgumentException("unknown knob " + name + "; known: " + KNOBS);
            }
        });
        if (patch.has("keyPermissions") && !Set.of("read", "write", "read_write").contains(patch.get("keyPermissions").asText())) {
            throw new IllegalArgumentException("keyPermissions must be read, write or read_write");
        }
        if (patch.has("consumerKey")) consumerKey = patch.get("consumerKey").asText();
        if (patch.has("consumerSecret")) consumerSecret = patch.get("consumerSecret").asText();
        if (patch.has("keyPermissions")) keyPermissions = patch.get("keyPermissions").asText();
        if (patch.has("keyUserId")) keyUserId = patch.get("keyUserId").asInt();
        if (patch.has("https")) https = patch.get("https").asBoolean();
        if (patch.has("homeUrl")) homeUrl = Json.text(patch, "homeUrl");
        if (patch.has("timezone")) timezone = ZoneId.of(patch.get("timezone").asText());
        if (patch.has("safeRemoteRequests")) safeRemoteRequests = patch.get("safeRemoteRequests").asBoolean();
        if (patch.has("deliveryDelayMillis")) deliveryDelayMillis = Math.max(0, patch.get("deliveryDelayMillis").asLong());
        if (patch.has("webhookSecret")) webhookSecret = patch.get("webhookSecret").asText();
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("consumerKey", consumerKey);
        node.put("consumerSecret", consumerSecret);
        node.put("keyPermissions", keyPermissions);
        node.put("keyUserId", keyUserId);
        node.put("https", https);
        node.put("homeUrl", homeUrl);
        node.put("timezone", timezone.getId());
        node.put("safeRemoteRequests", safeRemoteRequests);
        node.put("deliveryDelayMillis", deliveryDelayMillis);
        node.put("webhookSecret", webhookSecret);
        return node;
    }

    private static String hex(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }
}
