package com.commerceidentity.store;

import static org.assertj.core.api.Assertions.assertThat;

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
}
