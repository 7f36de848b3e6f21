package com.commerceidentity.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Credentials copied from a sandbox store for a second store still work after the restart that adds it. */
class SandboxCredentialsTest {

    @Test
    void generatedCredentialsFollowFromTheSeedAndTheStore() {
        List<String> first = credentials(42);
        List<String> afterRestart = credentials(42);
        assertThat(afterRestart).isEqualTo(first);
        assertThat(first).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(credentials(43)).as("another seed, other credentials").doesNotContainAnyElementsOf(first);
    }

    private static List<String> credentials(long seed) {
        Properties keys = new Properties();
        for (String platform : List.of("shopify", "medusa", "magento", "woocommerce")) {
            keys.setProperty("stores." + platform + "-box.platform", platform);
            keys.setProperty("stores." + platform + "-box.base-url", "http://127.0.0.1:0");
            keys.setProperty("stores." + platform + "-box.sandbox", "true");
        }
        StoreRegistry registry = StoreRegistry.load(keys, k -> Optional.ofNullable(keys.getProperty(k)));
        SandboxSettings settings = SandboxSettings.defaults().with("seed", Long.toString(seed))
                .with("customers", "3").with("staff", "1");
        SandboxStores sandbox = SandboxStores.start(registry, settings);
        try {
            List<String> out = new ArrayList<>();
            StoreConfig shopify = registry.get("shopify-box").orElseThrow();
            out.add(shopify.token());
            out.add(shopify.webhookSecret());
            StoreConfig medusa = registry.get("medusa-box").orElseThrow();
            out.add(medusa.apiKey());
            StoreConfig magento = registry.get("magento-box").orElseThrow();
            out.add(magento.settings().get("consumer-key"));
            out.add(magento.settings().get("access-token-secret"));
            StoreConfig woo = registry.get("woocommerce-box").orElseThrow();
            out.add(woo.settings().get("consumer-secret"));
            return out;
        } finally {
            sandbox.close();
        }
    }
}
