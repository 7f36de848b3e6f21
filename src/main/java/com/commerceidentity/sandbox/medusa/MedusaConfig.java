package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Knobs of the Medusa simulator. Start-up values come from {@code sandbox.medusa.<knob>} (the secrets, the JWT
 * lifetime and the webhook URL are read there); at run time from {@code POST /_sandbox/config}.
 */
final class MedusaConfig {

    static final List<String> KNOBS = List.of("adminEmail", "adminPassword", "jwtSecret", "jwtTtlSeconds", "apiKey",
            "webhookUrl", "webhookSecret");

    volatile String adminEmail = "admin@medusa-test.com";
    volatile String adminPassword = "supersecret";
    volatile String jwtSecret;
    volatile long jwtTtlSeconds = 86400;
    volatile String apiKey;
    volatile String webhookUrl;
    volatile String webhookSecret;

    /**
     * Draws the default secrets from {@code seeded} whether or not a setting replaces them, so the records seeded
     * from it afterwards get the same ids either way.
     */
    MedusaConfig(SandboxSettings settings, Random seeded) {
        jwtSecret = settings.platform("medusa", "jwtSecret", "jwt_" + MedusaIds.hex(seeded, 16));
        apiKey = settings.platform("medusa", "apiKey", "sk_" + MedusaIds.hex(seeded, 32));
        webhookSecret = settings.platform("medusa", "webhookSecret", "mws_" + MedusaIds.hex(seeded, 16));
        jwtTtlSeconds = Long.parseLong(settings.platform("medusa", "jwtTtlSeconds", String.valueOf(jwtTtlSeconds)));
        webhookUrl = settings.webhookUrl("medusa");
    }

    ObjectNode toJson() {
        ObjectNode c = Json.object();
        c.put("adminEmail", adminEmail);
        c.put("adminPassword", adminPassword);
        c.put("jwtSecret", jwtSecret);
        c.put("jwtTtlSeconds", jwtTtlSeconds);
        c.put("apiKey", apiKey);
        c.put("webhookUrl", webhookUrl);
        c.put("webhookSecret", webhookSecret);
        return c;
    }

    /** Rejects the whole patch on an unknown name before changing anything; a bad value stops it part-way. */
    void apply(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            if (!KNOBS.contains(name)) {
                throw new IllegalArgumentException("unknown knob " + name);
            }
        });
        if (patch.has("adminPassword")) {
            adminPassword = patch.get("adminPassword").asText();
        }
        if (patch.has("adminEmail")) {
            adminEmail = patch.get("adminEmail").asText();
        }
        if (patch.has("jwtSecret")) {
            jwtSecret = patch.get("jwtSecret").asText();
        }
        if (patch.has("jwtTtlSeconds")) {
            JsonNode v = patch.get("jwtTtlSeconds");
            if (!v.canConvertToLong() || v.asLong() < 0) {
                throw new IllegalArgumentException("jwtTtlSeconds must be a non-negative integer");
            }
            jwtTtlSeconds = v.asLong();
        }
        if (patch.has("apiKey")) {
            apiKey = patch.get("apiKey").asText();
        }
        if (patch.has("webhookUrl")) {
            webhookUrl = patch.get("webhookUrl").isNull() ? null : patch.get("webhookUrl").asText();
        }
        if (patch.has("webhookSecret")) {
            webhookSecret = patch.get("webhookSecret").asText();
        }
    }
}
