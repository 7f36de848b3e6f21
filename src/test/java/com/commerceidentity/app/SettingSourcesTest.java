package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.support.CamelContextHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every family of keys obeys -D, the environment and the operator's file beside the jar's copy, in that order; the
 * values checked are the ones the running app acts on.
 */
class SettingSourcesTest {
    @TempDir
    Path dir;

    @Test
    void everyFamilyObeysSystemPropertiesEnvironmentAndTheOperatorsFile() throws Exception {
        int port = AppHarness.freePort();
        Path operatorFile = dir.resolve("application.properties");
        Files.writeString(operatorFile, String.join("\n",
                "camel.main.shutdown-timeout = 7",
                "app.inbox-dir = " + dir.resolve("file-inbox").toString().replace("\\", "/"),
                "sandbox.staff = 5",
                "sandbox.woocommerce.customers = 21",
                "sandbox.magento.customers = 24",
                "stores.file-shop.platform = shopify",
                "stores.file-shop.base-url = https://file-shop.example.com",
                "stores.file-shop.sync.cron = 0 0 1 * * ?",
                ""));
        Properties system = new Properties();
        system.setProperty("camel.main.name", "named-by-system-property");
        system.setProperty("app.feed.page-max", "37");
        system.setProperty("sandbox.shopify.customers", "17");
        system.setProperty("sandbox.woocommerce.customers", "23");
        system.setProperty("stores.sys-shop.platform", "medusa");
        system.setProperty("stores.sys-shop.base-url", "https://sys-shop.example.com");
        system.setProperty("unrelated.key", "ignored");
        Map<String, String> environment = Map.of(
                "CAMEL_SERVER_PORT", Integer.toString(port),
                "APP_DATA_DIR", dir.resolve("env-data").toString(),
                "SANDBOX_CUSTOMERS", "31",
                "SANDBOX_WOOCOMMERCE_CUSTOMERS", "22",
                "SANDBOX_MAGENTO_CUSTOMERS", "25",
                "STORES_BC_THIRD_PLATFORM", "bigcommerce",
                "STORES_BC_THIRD_BASE_URL", "https://api.bigcommerce.com/stores/third",
                "STORES_BC_THIRD_TOKEN", "tok-from-env",
                "STORES_FILE_SHOP_SYNC_CRON", "0 0 2 * * ?",
                "PATH", "/usr/bin");
        Map<String, String> overrides = new HashMap<>(SandboxStores.onFreePorts());
        overrides.put("app.sync.enabled", "false");

        try (EmbeddedApp app = EmbeddedApp.start(overrides, new SettingSources(system, environment, operatorFile))) {
            // camel.*: -D, environment (a *_PORT variable Camel's own handling skips), operator file
            assertThat(app.context().getName()).isEqualTo("named-by-system-property");
            HttpResponse<String> stores = get(port, "/stores");
            assertThat(stores.statusCode()).as("served on CAMEL_SERVER_PORT").isEqualTo(200);
            assertThat(app.context().getShutdownStrategy().getTimeout()).isEqualTo(7);

            // app.*
            HttpResponse<String> tooMany = get(port, "/feed?limit=38");
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(tooMany.body()).contains("between 1 and 37");
            assertThat(dir.resolve("env-data").resolve("db")).isDirectory();
            assertThat(dir.resolve("file-inbox")).isDirectory();

            // sandbox.*: the jar says 120 customers and 12 staff
            SandboxStores sandbox = app.bean("sandboxStores", SandboxStores.class);
            assertThat(count(sandbox, "shopify-sandbox", RecordControl.CUSTOMER)).as("-D only").isEqualTo(17);
            assertThat(count(sandbox, "bigcommerce-sandbox", RecordControl.CUSTOMER)).as("environment").isEqualTo(31);
            assertThat(count(sandbox, "medusa-sandbox", RecordControl.STAFF)).as("operator's file over the jar's")
                    .isEqualTo(5);
            assertThat(count(sandbox, "woocommerce-sandbox", RecordControl.CUSTOMER)).as("-D over environment over file")
                    .isEqualTo(23);
            assertThat(count(sandbox, "magento-sandbox", RecordControl.CUSTOMER)).as("environment over file")
                    .isEqualTo(25);

            // stores.<id>.*
            StoreRegistry registry = app.bean("storeRegistry", StoreRegistry.class);
            StoreConfig third = registry.get("bc-third").orElseThrow();
            assertThat(third.baseUrl()).isEqualTo("https://api.bigcommerce.com/stores/third");
            assertThat(third.token()).isEqualTo("tok-from-env");
            assertThat(registry.get("sys-shop").orElseThrow().baseUrl()).isEqualTo("https://sys-shop.example.com");
            assertThat(registry.get("file-shop").orElseThrow().settings()).containsEntry("sync.cron", "0 0 2 * * ?");
            for (String secret : new String[] {"token", "webhook-secret", "consumer-secret", "access-token-secret"}) {
                assertThat(CamelContextHelper.containsSensitive(app.context(), "stores.bc-third." + secret))
                        .as(secret + " is masked where start-up lists the settings it read").isTrue();
            }
            JsonNode listed = new ObjectMapper().readTree(stores.body());
            assertThat(listed.findValuesAsText("id")).contains("bc-third", "sys-shop", "file-shop", "shopify-sandbox");
        }
    }

    private static int count(SandboxStores sandbox, String store, String kind) {
        return sandbox.simulator(store).records().list(kind).size();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
