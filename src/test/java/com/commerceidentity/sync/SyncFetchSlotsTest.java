package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How many sync pages of a store wait for their answer at once: BigCommerce limits concurrent writes, not reads
 * (issue #16), so its backfill keeps eight in flight unless the operator says otherwise; Shopify's REST bucket is
 * its only limit, so up to ten (its walk's lanes are sized by the bucket); other platforms keep
 * {@code app.sync.max-in-flight}.
 */
class SyncFetchSlotsTest {

    static StoreConfig store(String platform, Map<String, String> settings) {
        return new StoreConfig("s-" + platform, Platform.of(platform), "http://127.0.0.1:1", "t", null, null, null,
                null, false, settings);
    }

    @Test
    void bigCommerceReadsEightPagesAtOnceShopifyUpToSixteenOthersTheAppDefault() {
        SyncFetchSlots slots = new SyncFetchSlots(new StoreRegistry(List.of()), 3);
        assertThat(slots.max(store("bigcommerce", Map.of()))).isEqualTo(8);
        assertThat(slots.max(store("shopify", Map.of()))).isEqualTo(16);
        assertThat(slots.max(store("magento", Map.of()))).isEqualTo(3);
        assertThat(slots.max(store("woocommerce", Map.of()))).isEqualTo(3);
    }

    @Test
    void theOperatorsSettingWinsOverThePlatformsFigure() {
        SyncFetchSlots slots = new SyncFetchSlots(new StoreRegistry(List.of()), 3);
        assertThat(slots.max(store("bigcommerce", Map.of("sync.max-in-flight", "2")))).isEqualTo(2);
        assertThat(slots.max(store("medusa", Map.of("sync.max-in-flight", "8")))).isEqualTo(8);
    }
}
