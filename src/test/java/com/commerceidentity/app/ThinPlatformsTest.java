package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.platform.TopicTable;
import com.commerceidentity.platform.WebhookTopics;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Which platforms' events the inbox gathers for app.webhooks.poll-ms: those whose topic table fetches records,
 * not those that look records up only to confirm a deletion (their full payloads go at app.webhooks.linger-ms).
 */
class ThinPlatformsTest {

    private static TopicTable table(String records, String fetch, String confirm) {
        TopicTable t = new TopicTable();
        t.setRecords(records);
        t.setFetch(fetch);
        t.setDelete(confirm);
        t.setConfirm(confirm);
        return t;
    }

    @Test
    void onlyTablesThatFetchRecordsMakeAPlatformThin() {
        Map<String, WebhookTopics> tables = Map.of(
                "shopifyWebhookTopics", table("customers/create,customers/update", "", "customers/delete"),
                "woocommerceWebhookTopics", table("customer.created,customer.updated", "", "customer.deleted"),
                "bigcommerceWebhookTopics", table("", "store/customer/created", "store/customer/deleted"),
                "medusaWebhookTopics", table("", "customer.created,user.created", "customer.deleted,user.deleted"));
        Predicate<String> thin = WebhookBeans.thinPlatforms(tables::get);
        assertThat(thin.test("bigcommerce")).isTrue();
        assertThat(thin.test("medusa")).isTrue();
        assertThat(thin.test("shopify")).as("looks customers up only to confirm deletions").isFalse();
        assertThat(thin.test("woocommerce")).as("looks users up only to confirm deletions").isFalse();
        assertThat(thin.test("magento")).as("no topic table").isFalse();
    }
}
