package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator who puts a store's secrets on the command line or in the environment finds none of them in the
 * start-up log (Camel prints every setting it resolved, with its source) nor in {@code GET /stores}.
 */
class SecretsNotShownTest {
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static {
        SECRETS.put("stores.s1.webhook-secret", "whsec-7f3a91c2");
        SECRETS.put("stores.s1.scim-token", "scim-55e0b7d4");
        SECRETS.put("stores.s1.token", "shpat-0c9d2e11");
        SECRETS.put("stores.s1.webhookSecret", "misspelt-4b8e6f90");
        SECRETS.put("app.api.read-token", "read-6a1f0c3e");
        SECRETS.put("app.api.control-token", "control-93d2b7a5");
    }

    @Test
    void startUpLogAndStoreListShowNoSecret(@TempDir Path dir) throws Exception {
        System.setProperty("stores.s1.platform", "shopify");
        System.setProperty("stores.s1.base-url", "https://admin:pa55-3e7c0d@s1.example.com");
        SECRETS.forEach(System::setProperty);
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        String logged;
        JsonNode stores;
        try (AppHarness app = new AppHarness(dir, Map.of())) {
            logged = log.toString(StandardCharsets.UTF_8);
            stores = app.json.readTree(app.getWithToken("/stores", "control-93d2b7a5").body());
        } finally {
            System.setErr(err);
            System.clearProperty("stores.s1.platform");
            System.clearProperty("stores.s1.base-url");
            SECRETS.keySet().forEach(System::clearProperty);
        }
        err.print(logged);

        assertThat(logged).as("Camel's summary of the settings it resolved")
                .contains("Property-placeholders summary")
                .contains("stores.s1.webhook-secret = xxxxxx")
                .contains("stores.s1.scim-token = xxxxxx");
        for (String secret : SECRETS.values()) {
            assertThat(logged).as("the start-up log").doesNotContain(secret);
            assertThat(stores.toString()).as("GET /stores").doesNotContain(secret);
        }
        assertThat(logged).doesNotContain("pa55-3e7c0d");
        JsonNode s1 = null;
        for (JsonNode store : stores) {
            if (store.path("id").asText().equals("s1")) {
                s1 = store;
            }
        }
        assertThat(s1).as("store s1 in GET /stores").isNotNull();
        assertThat(s1.path("baseUrl").asText()).isEqualTo("https://admin:xxxxxx@s1.example.com");
        assertThat(s1.path("settings").path("webhookSecret").asText()).isEqualTo("set");
        assertThat(s1.path("settings").path("scim-token").asText()).isEqualTo("set");
    }
}
