package com.commerceidentity.platform.shopify;

import com.commerceidentity.budget.LimitSignals;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.PlatformMapper;
import com.commerceidentity.platform.Credentials;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.SurfaceCheck;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.sync.PageRequest;
import com.commerceidentity.sync.SurfaceWalker;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.SubscriptionApi;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Shopify: REST customers, GraphQL staff, SCIM users; REST and GraphQL metered apart; full webhook payloads (deletions confirmed by id). */
public class ShopifyModule implements PlatformModule {
    /** The Admin API version this module's walkers and webhook registration were written against (a platform fact). */
    static final String API_VERSION = "2025-07";
    static final String REST = "rest";
    static final String GRAPHQL = "graphql";

    @Override
    public String id() {
        return "shopify";
    }

    @Override
    public List<SyncSurface> surfaces() {
        return List.of(
                // a first backfill may go through a bulk query operation (routes/platforms/shopify.yaml)
                new SyncSurface("customers", Kind.CUSTOMER, true, 250,
                        (store, size) -> new ShopifyCustomerPages(apiVersion(store), size),
                        "direct:shopify-bulk-backfill"),
                new SyncSurface("staff", Kind.STAFF, true, 100,
                        (store, size) -> new ShopifyStaffPages(apiVersion(store), size)),
                // SCIM needs an organisation-level token that most shops do not have: off unless switched on.
                new SyncSurface("scim-users", Kind.STAFF, false, 100, (store, size) -> new ShopifyScimPages(size)));
    }

    /** The Admin API version a store is called with: {@code stores.<id>.api-version}, else {@link #API_VERSION}. */
    static String apiVersion(StoreConfig store) {
        return store.settings().getOrDefault("api-version", API_VERSION);
    }

    @Override
    public PlatformMapper mapper(AccountNormalizer normalizer) {
        return new ShopifyMapper(normalizer);
    }

    @Override
    public Credentials credentials() {
        return (store, path, m, session) -> {
            if (path.contains("/scim/")) {
                m.setHeader("Authorization", "Bearer " + Credentials.required(store,
                        store.settings().getOrDefault("scim-token", store.token()), "scim-token"));
            } else {
                m.setHeader("X-Shopify-Access-Token", Credentials.required(store, store.token(), "token"));
            }
        };
    }

    @Override
    public Map<String, String> budgetPolicies() {
        Map<String, String> lanes = new LinkedHashMap<>();
        lanes.put(REST, "leaky-bucket");
        lanes.put(GRAPHQL, "cost-points");
        return lanes;
    }

    @Override
    public String lane(String path) {
        return path.endsWith("/graphql.json") ? GRAPHQL : REST;
    }

    /**
     * Sixteen: Shopify meters REST by its leaky bucket alone and states no cap on requests at once. A customer walk
     * is cut into as many lanes as the bucket keeps busy (sync/LaneSizing): one on the standard plan's 2 a second,
     * five to twelve on Plus' 20 a second at 0-250 ms an answer, and up to this ceiling at 500 ms, where 20 a second
     * take eleven or more requests out at once (a Plus backfill there: 1.38 x its minimum at ten, 1.16 at sixteen).
     */
    @Override
    public java.util.OptionalInt readsInFlight() {
        return java.util.OptionalInt.of(16);
    }

    /** The REST drain rate of the shop's plan ({@code stores.<id>.budget.plan}, default standard). */
    @Override
    public Map<String, String> budgetDefaults(StoreConfig store, String lane) {
        if (!REST.equals(lane)) {
            return Map.of();
        }
        String plan = store.settings().get("budget.plan");
        return Map.of("leak-per-second", Double.toString(ShopifyRateLimits.leakPerSecond(
                plan == null || plan.isBlank() ? "standard" : plan)));
    }

    @Override
    public LimitSignals limitSignals(String lane, int status, Map<String, String> headers, String body) {
        return ShopifyRateLimits.signals(lane, status, headers, body);
    }

    @Override
    public WebhookVerifier webhookVerifier(Clock clock) {
        return new ShopifyWebhookVerifier(clock);
    }

    /** Customers by id: what confirms a {@code customers/delete} at the source (see shopifyWebhookTopics). */
    @Override
    public Optional<WebhookFetch> webhookFetch() {
        return Optional.of(new ShopifyCustomerLookup());
    }

    @Override
    public Optional<SubscriptionApi> subscriptionApi(ObjectMapper json) {
        return Optional.of(new ShopifySubscriptionApi(json));
    }

    /**
     * GraphQL answers a missing scope with HTTP 200 and {@code errors[].extensions.code = ACCESS_DENIED} (the
     * staffMembers field needs read_users, and a Plus or Advanced shop): that is a missing scope, with Shopify's
     * message, not an empty staff list. REST answers 401 for a token it does not know and 403
     * ("requires merchant approval for read_customers scope") for a missing scope.
     */
    @Override
    public SurfaceCheck check(SyncSurface surface, SurfaceWalker walker, PageRequest request, int status, String body,
                              Map<String, String> headers) {
        if (status == 200 && body != null && body.contains("\"errors\"")) {
            try {
                JsonNode first = new ObjectMapper().readTree(body).path("errors").path(0);
                if ("ACCESS_DENIED".equals(first.path("extensions").path("code").asText())) {
                    return new SurfaceCheck(SurfaceCheck.Outcome.SCOPE_MISSING, first.path("message").asText(), status);
                }
            } catch (java.io.IOException e) {
                // not JSON: the standard reading reports it
            }
        }
        return SurfaceCheck.standard(walker, request, status, body, headers);
    }

    @Override
    public Set<String> outboundHeaders() {
        return Set.of("x-shopify-access-token", "authorization");
    }
}
