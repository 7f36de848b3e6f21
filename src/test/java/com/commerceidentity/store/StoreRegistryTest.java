package com.commerceidentity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StoreRegistryTest {

    @Test
    void signingSecretsThatLiveOnlyInTheEnvironmentAreFound() {
        Properties listed = new Properties();
        listed.setProperty("stores.eu-magento.platform", "magento");
        listed.setProperty("stores.eu-magento.base-url", "https://shop.example.com/rest/all");
        // what Camel resolves from STORES_EU_MAGENTO_* variables: keys the files never list
        Map<String, String> environment = Map.of(
                "stores.eu-magento.consumer-key", "ck", "stores.eu-magento.consumer-secret", "cs",
                "stores.eu-magento.access-token", "at", "stores.eu-magento.access-token-secret", "ats");
        StoreRegistry registry = StoreRegistry.load(listed,
                key -> Optional.ofNullable(environment.getOrDefault(key, listed.getProperty(key))));
        StoreConfig store = registry.get("eu-magento").orElseThrow();
        assertThat(store.settings()).containsEntry("consumer-key", "ck").containsEntry("consumer-secret", "cs")
                .containsEntry("access-token", "at").containsEntry("access-token-secret", "ats");
        assertThat(store.describe().toString()).doesNotContain("=cs").doesNotContain("=ats").doesNotContain("=at,");
    }

    @Test
    void everyStoreStartsFromTheStoreDefaultsAndOverridesThem() {
        Properties listed = new Properties();
        listed.setProperty("stores.a.platform", "bigcommerce");
        listed.setProperty("stores.a.base-url", "https://api.bigcommerce.com/stores/a");
        listed.setProperty("stores.b.platform", "bigcommerce");
        listed.setProperty("stores.b.base-url", "https://api.bigcommerce.com/stores/b");
        listed.setProperty("stores.b.webhook-header", "X-Our-Secret");
        StoreRegistry registry = StoreRegistry.load(listed, Map.of("webhook-header", "X-Webhook-Secret"),
                key -> Optional.ofNullable(listed.getProperty(key)));
        assertThat(registry.get("a").orElseThrow().setting("webhook-header")).isEqualTo("X-Webhook-Secret");
        assertThat(registry.get("b").orElseThrow().setting("webhook-header")).isEqualTo("X-Our-Secret");
        assertThatThrownBy(() -> registry.get("a").orElseThrow().setting("sync.enabled"))
                .hasMessageContaining("stores.a.sync.enabled").hasMessageContaining("app.store-defaults.sync.enabled");
    }
}
