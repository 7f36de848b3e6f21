package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EnvironmentKeysTest {
    private static final List<String> FILE = List.of("camel.main.shutdown-timeout", "app.data-dir",
            "stores.eu-shop.platform", "stores.eu-shop.base-url");
    private static final List<String> STORE_KEYS = List.of("platform", "base-url", "token", "sync.cron",
            "sync.customers.page-size");

    @Test
    void aVariableSetsTheKeyOfTheFilesItsNameStandsFor() {
        Properties keys = EnvironmentKeys.keys(Map.of("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "7", "APP_DATA_DIR", "/d",
                "APP_DROP_TOKEN", "t", "HOME", "/root"), FILE, STORE_KEYS);
        assertThat(keys).containsOnly(Map.entry("camel.main.shutdown-timeout", "7"), Map.entry("app.data-dir", "/d"),
                Map.entry("app.drop.token", "t"));
    }

    @Test
    void aStoreDefinedOnlyInTheEnvironmentGetsItsIdWithDashesForUnderscores() {
        Properties keys = EnvironmentKeys.keys(Map.of("STORES_BC_THIRD_PLATFORM", "bigcommerce",
                "STORES_BC_THIRD_BASE_URL", "https://x", "STORES_BC_THIRD_TOKEN", "tok",
                "STORES_BC_THIRD_SYNC_CUSTOMERS_PAGE_SIZE", "50", "STORES_EU_SHOP_TOKEN", "eu"), FILE, STORE_KEYS);
        assertThat(keys).containsOnly(Map.entry("stores.bc-third.platform", "bigcommerce"),
                Map.entry("stores.bc-third.base-url", "https://x"), Map.entry("stores.bc-third.token", "tok"),
                Map.entry("stores.bc-third.sync.customers.page-size", "50"), Map.entry("stores.eu-shop.token", "eu"));
    }

    @Test
    void aStoresVariableThatNamesNoStoreOrNoKeyStopsStartUpNamingIt() {
        assertThatThrownBy(() -> EnvironmentKeys.keys(Map.of("STORES_GONE_SHOP_TOKEN", "t"), FILE, STORE_KEYS))
                .hasMessageContaining("STORES_GONE_SHOP_TOKEN names no store");
        assertThatThrownBy(() -> EnvironmentKeys.keys(Map.of("STORES_EU_SHOP_COLOUR", "red"), FILE, STORE_KEYS))
                .hasMessageContaining("STORES_EU_SHOP_COLOUR names no key")
                .hasMessageContaining("-Dstores.eu-shop.<key>");
    }

    @Test
    void aVariableTwoStoresCouldOwnIsRefused() {
        List<String> twoIds = List.of("stores.bc_third.platform", "stores.bc-third.platform");
        assertThatThrownBy(() -> EnvironmentKeys.keys(Map.of("STORES_BC_THIRD_TOKEN", "t"), twoIds, STORE_KEYS))
                .hasMessageContaining("STORES_BC_THIRD_TOKEN could belong to more than one store");
    }
}
