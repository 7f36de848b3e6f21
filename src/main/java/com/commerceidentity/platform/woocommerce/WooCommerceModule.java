package com.commerceidentity.platform.woocommerce;

import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.PlatformMapper;
import com.commerceidentity.platform.Credentials;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * WooCommerce ({@code wc/v3}): customers and staff are WordPress users listed by role; consumer key and secret
 * over HTTPS Basic ({@code stores.<id>.consumer-key}, {@code stores.<id>.consumer-secret}); no published rate
 * limit, so a polite cap; webhooks carry full payloads, except {@code customer.deleted} (the id only, confirmed at
 * the store before it is applied: {@link WooCommerceUserLookup}).
 * {@code stores.<id>.base-url} is the site root; the API lives under {@code /wp-json/wc/v3}.
 */
public class WooCommerceModule implements PlatformModule {

    @Override
    public String id() {
        return "woocommerce";
    }

    @Override
    public List<SyncSurface> surfaces() {
        return List.of(
                new SyncSurface("customers", Kind.CUSTOMER, true, 100,
                        (store, size) -> new WooCommerceCustomerPages("customers", Kind.CUSTOMER, "customer", size)),
                new SyncSurface("administrators", Kind.STAFF, true, 100,
                        (store, size) -> new WooCommerceCustomerPages("administrators", Kind.STAFF, "administrator", size)),
                new SyncSurface("shop-managers", Kind.STAFF, true, 100,
                        (store, size) -> new WooCommerceCustomerPages("shop-managers", Kind.STAFF, "shop_manager", size)));
    }

    @Override
    public PlatformMapper mapper(AccountNormalizer normalizer) {
        return new WooCommerceMapper(normalizer);
    }

    @Override
    public Credentials credentials() {
        return (store, path, m, session) -> {
            String key = Credentials.required(store, store.settings().get("consumer-key"), "consumer-key");
            String secret = Credentials.required(store, store.settings().get("consumer-secret"), "consumer-secret");
            m.setHeader("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        };
    }

    @Override
    public Map<String, String> budgetPolicies() {
        return Map.of("rest", "polite-cap");
    }

    @Override
    public WebhookVerifier webhookVerifier(Clock clock) {
        return new WooCommerceWebhookVerifier();
    }

    /** Users by id: what confirms a {@code customer.deleted} at the source (see woocommerceWebhookTopics). */
    @Override
    public Optional<WebhookFetch> webhookFetch() {
        return Optional.of(new WooCommerceUserLookup());
    }

    /**
     * WooCommerce answers 401 {@code woocommerce_rest_authentication_error} for a key or secret it does not accept,
     * 401 "The API key provided does not have read permissions." for a write-only key (a missing permission, not
     * refused credentials), 403 {@code woocommerce_rest_cannot_view} when the key's user lacks {@code list_users}.
     */
    @Override
    public com.commerceidentity.platform.SurfaceCheck check(com.commerceidentity.platform.SyncSurface surface,
            com.commerceidentity.sync.SurfaceWalker walker, com.commerceidentity.sync.PageRequest request, int status,
            String body, Map<String, String> headers) {
        String message = com.commerceidentity.platform.SurfaceCheck.platformMessage(body);
        if (status == 401 && message.contains("does not have read permissions")) {
            return new com.commerceidentity.platform.SurfaceCheck(
                    com.commerceidentity.platform.SurfaceCheck.Outcome.SCOPE_MISSING, message, status);
        }
        return com.commerceidentity.platform.SurfaceCheck.standard(walker, request, status, body, headers);
    }

    @Override
    public Set<String> outboundHeaders() {
        return Set.of("authorization");
    }
}
