package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A row of wc_webhooks as WC_Webhook holds it; rendered in the wc/v3 webhook shape (the secret never is). */
final class Webhook {

    /** WC_Webhook::get_default_topic_hooks(); wc_is_webhook_valid_topic() accepts these and action.*. */
    static final Map<String, List<String>> TOPIC_HOOKS = new LinkedHashMap<>();

    static {
        TOPIC_HOOKS.put("coupon.created", List.of("woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"));
        TOPIC_HOOKS.put("coupon.updated", List.of("woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"));
        TOPIC_HOOKS.put("coupon.deleted", List.of("wp_trash_post"));
        TOPIC_HOOKS.put("coupon.restored", List.of("untrashed_post"));
        TOPIC_HOOKS.put("customer.created", List.of("user_register", "woocommerce_created_customer", "woocommerce_new_customer"));
        TOPIC_HOOKS.put("customer.updated", List.of("profile_update", "woocommerce_update_customer"));
        TOPIC_HOOKS.put("customer.deleted", List.of("delete_user"));
        TOPIC_HOOKS.put("order.created", List.of("woocommerce_new_order"));
        TOPIC_HOOKS.put("order.updated", List.of("woocommerce_update_order", "woocommerce_order_refunded", "woocommerce_delete_order_refund"));
        TOPIC_HOOKS.put("order.deleted", List.of("wp_trash_post", "woocommerce_trash_order"));
        TOPIC_HOOKS.put("order.restored", List.of("untrashed_post", "woocommerce_untrash_order"));
        TOPIC_HOOKS.put("product.created", List.of("woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation"));
        TOPIC_HOOKS.put("product.updated", List.of("woocommerce_process_product_meta", "woocommerce_update_product", "woocommerce_update_product_variation"));
        TOPIC_HOOKS.put("product.deleted", List.of("wp_trash_post"));
        TOPIC_HOOKS.put("product.restored", List.of("untrashed_post"));
        TOPIC_HOOKS.put("product.published", List.of("woocommerce_product_published"));
    }

    static final List<String> STATUSES = List.of("active", "paused", "disabled");
    /** woocommerce_max_webhook_delivery_failures: compared with '>', so the 7th consecutive failure disables. */
    static final int MAX_FAILURES = 5;

    final int id;
    final int userId;
    final Instant created;
    volatile String name;
    volatile String status = "active";
    volatile String topic;
    volatile String deliveryUrl;
    volatile String secret;
    volatile Instant modified;
    volatile int failureCount;

    Webhook(int id, int userId, Instant created) {
        this.id = id;
        this.userId = userId;
        this.created = created;
        this.modified = created;
    }

    static boolean validTopic(String topic) {
        return topic != null && (TOPIC_HOOKS.containsKey(topic) || topic.startsWith("action.") && topic.length() > "action.".length());
    }

    String resource() {
        return topic.split("\\.", 2)[0];
    }

    String event() {
        String[] parts = topic.split("\\.", 2);
        return parts.length > 1 ? parts[1] : "";
    }

    List<String> hooks() {
        return "action".equals(resource()) ? List.of(event()) : TOPIC_HOOKS.getOrDefault(topic, List.of());
    }

    /** log_delivery(): 200..302 resets the count; any other outcome counts, and one past the maximum disables. */
    synchronized void recordDelivery(int status) {
        if (status >= 200 && status < 303) {
            failureCount = 0;
        } else if (failureCount > MAX_FAILURES) {
            this.status = "disabled";
        } else {
            failureCount++;
        }
    }

    ObjectNode toRest(Site site) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("name", name);
        node.put("status", status);
        node.put("topic", topic);
        node.put("resource", resource());
        node.put("event", event());
        ArrayNode hooks = node.putArray("hooks");
        hooks().forEach(hooks::add);
        node.put("delivery_url", deliveryUrl);
        node.put("date_created", site.local(created));
        node.put("date_created_gmt", site.gmt(created));
        node.put("date_modified", site.local(modified));
        node.put("date_modified_gmt", site.gmt(modified));
        ObjectNode links = node.putObject("_links");
        links.putArray("self").addObject().put("href", site.api("/webhooks/" + id));
        links.putArray("collection").addObject().put("href", site.api("/webhooks"));
        return node;
    }
}
