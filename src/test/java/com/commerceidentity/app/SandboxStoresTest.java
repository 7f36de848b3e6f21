package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped sandbox configuration: four stores served on loopback, secrets generated and never shown. */
class SandboxStoresTest {
    @TempDir
    Path dir;

    @Test
    void theShippedSandboxStoresAreServedInProcessWithGeneratedCredentials() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(SandboxStores.onFreePorts());
        settings.put("sandbox.enabled", "true");
        try (AppHarness app = AppHarness.withoutDropStores(dir, settings)) {
            HttpResponse<String> listing = app.get("/stores");
            JsonNode stores = app.json.readTree(listing.body());
            assertThat(stores).extracting(s -> s.get("platform").asText())
                    .containsExactlyInAnyOrder("shopify", "bigcommerce", "magento", "medusa", "woocommerce");

            StoreConfig shopify = app.app.bean("storeRegistry", StoreRegistry.class).get("shopify-sandbox").orElseThrow();
            assertThat(shopify.token()).isNotBlank();
            assertThat(listing.body()).as("secrets never appear in status output")
                    .doesNotContain(shopify.token()).doesNotContain(shopify.webhookSecret());
            assertThat(stores.findValuesAsText("token")).as("shown as set/missing, never as a value")
                    .containsOnly("set", "missing");
            for (JsonNode store : stores) {
                String platform = store.get("platform").asText();
                String expected = platform.equals("shopify") || platform.equals("bigcommerce") ? "set" : "missing";
                assertThat(store.at("/credentials/token").asText()).as(platform + " token").isEqualTo(expected);
            }
            StoreConfig woo = app.app.bean("storeRegistry", StoreRegistry.class).get("woocommerce-sandbox").orElseThrow();
            assertThat(listing.body()).as("a WooCommerce API key is a secret too")
                    .doesNotContain(woo.settings().get("consumer-secret")).doesNotContain(woo.settings().get("consumer-key"));
            StoreConfig magento = app.app.bean("storeRegistry", StoreRegistry.class).get("magento-sandbox").orElseThrow();
            assertThat(magento.baseUrl()).as("every website's customers").endsWith("/rest/all");
            for (String key : new String[] {"consumer-key", "consumer-secret", "access-token", "access-token-secret"}) {
                assertThat(magento.settings().get(key)).as("Magento integration " + key).matches("[0-9a-z]{32}");
                assertThat(listing.body()).as("Magento's " + key + " is a secret").doesNotContain(magento.settings().get(key));
            }
            assertThat(magento.username()).as("a stock store needs no admin login").isNull();

            URI customers = URI.create(shopify.baseUrl() + "/admin/api/2025-07/customers.json?limit=5");
            HttpResponse<String> withToken = app.http.send(HttpRequest.newBuilder(customers).timeout(Duration.ofSeconds(10))
                    .header("X-Shopify-Access-Token", shopify.token()).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> without = app.http.send(HttpRequest.newBuilder(customers).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(app.json.readTree(withToken.body()).get("customers")).hasSize(5);
            assertThat(without.statusCode()).isEqualTo(401);

            StoreConfig big = app.app.bean("storeRegistry", StoreRegistry.class).get("bigcommerce-sandbox").orElseThrow();
            HttpResponse<String> bc = app.http.send(HttpRequest.newBuilder(URI.create(big.baseUrl() + "/v3/customers")).timeout(Duration.ofSeconds(10))
                    .header("X-Auth-Token", big.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bc.statusCode()).isEqualTo(200);
            assertThat(bc.headers().firstValue("X-Rate-Limit-Requests-Quota")).isPresent();
        }
    }
}
