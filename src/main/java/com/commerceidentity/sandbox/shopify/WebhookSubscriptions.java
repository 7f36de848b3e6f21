package com.commerceidentity.sandbox.shopify;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The app's REST webhook subscriptions on this shop. Only topics the sandbox app's scopes (customers) allow can
 * be subscribed; the mandatory compliance topics never can: Shopify takes those from the app configuration
 * ({@code compliance_topics} in {@code shopify.app.toml}), and its API answers them as invalid topics.
 */
final class WebhookSubscriptions {

    static final Set<String> COMPLIANCE_TOPICS = Set.of("customers/redact", "customers/data_request", "shop/redact");

    /** What a {@code read_customers} app may subscribe to, in Shopify's own topic names. */
    static final Set<String> ALLOWED_TOPICS = new TreeSet<>(Set.of("app/uninstalled", "bulk_operations/finish", "customers/create",
            "customers/delete", "customers/disable", "customers/enable", "customers/merge",
            "customers/purchasing_summary", "customers/update", "customers_email_marketing_consent/update",
            "customers_marketing_consent/update", "customer.tags_added", "customer.tags_removed"));

    /** Real subscription ids are well above 2^31; start there so clients that parse them as int break here too. */
    private static final long FIRST_ID = 6883828534L;

    private final Map<Long, WebhookSubscription> byId = new TreeMap<>();
    private long nextId = FIRST_ID;

    synchronized WebhookSubscription add(String topic, String address, String format, String apiVersion) {
        WebhookSubscription subscription = new WebhookSubscription(nextId, topic, address, format, apiVersion,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        nextId += 10;
        byId.put(subscription.id(), subscription);
        return subscription;
    }

    synchronized boolean taken(String topic, String address) {
        return byId.values().stream().anyMatch(s -> s.topic().equals(topic) && s.address().equals(address));
    }

    synchronized List<WebhookSubscription> all() {
        return List.copyOf(byId.values());
    }

    synchronized List<WebhookSubscription> forTopic(String topic) {
        return byId.values().stream().filter(s -> s.topic().equals(topic)).toList();
    }

    synchronized boolean isEmpty() {
        return byId.isEmpty();
    }

    synchronized Optional<WebhookSubscription> get(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized boolean remove(long id) {
        return byId.remove(id) != null;
    }
}
