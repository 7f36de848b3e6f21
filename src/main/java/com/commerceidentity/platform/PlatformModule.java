package com.commerceidentity.platform;

import com.commerceidentity.budget.LimitSignals;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.PlatformMapper;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.SubscriptionApi;
import com.commerceidentity.webhook.WebhookVerifier;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the core needs to know about one commerce platform, supplied by that platform's own package and
 * discovered with {@link java.util.ServiceLoader} ({@code META-INF/services/com.commerceidentity.platform.PlatformModule}
 * lists the modules). The core (graph, feed, store, sync, webhook, budget, drop, model, http, app) asks this
 * interface and names no platform: a new platform is a new package, its route file and its simulator.
 */
public interface PlatformModule {

    /** The id in account keys, drop paths, webhook paths and {@code stores.<id>.platform}. */
    String id();

    /** The surfaces a store of this platform can be synced on, in the order they are scheduled. */
    List<SyncSurface> surfaces();

    /** Maps the platform's customer and staff records to canonical accounts. */
    PlatformMapper mapper(AccountNormalizer normalizer);

    /** How a request carries the store's credentials. */
    Credentials credentials();

    /**
     * The budget policy of each lane, first lane first, used when {@code stores.<id>.budget[.<lane>].policy}
     * is not set: {@code rolling-window}, {@code leaky-bucket}, {@code cost-points} or {@code polite-cap}.
     */
    Map<String, String> budgetPolicies();

    /** The lane a request to {@code path} is metered in (platforms that meter two APIs apart). */
    default String lane(String path) {
        return budgetPolicies().keySet().iterator().next();
    }

    /**
     * The platform's own figures for a lane's budget, by the keys a store may set under
     * {@code stores.<id>.budget.*} (say {@code leak-per-second} for the store's plan), used where the store sets
     * none. The policy's generic figures apply to keys neither names.
     */
    default Map<String, String> budgetDefaults(StoreConfig store, String lane) {
        return Map.of();
    }

    /**
     * How many list reads (sync pages) of one store may wait for their answer at once, where the platform allows
     * more than {@code app.sync.max-in-flight} says by default; empty keeps that default. A store's
     * {@code stores.<id>.sync.max-in-flight} overrides both. The rate budget still decides when each may leave.
     */
    default java.util.OptionalInt readsInFlight() {
        return java.util.OptionalInt.empty();
    }

    /**
     * What an answer to a request in {@code lane} says about the store's rate limit, in the budget policies'
     * words: the platform's own headers or body read into a bucket fill, window figures or cost points. The
     * default reads the standard {@code Retry-After} only.
     *
     * @param headers the answer's headers, looked up without regard to case
     * @param body    the answer's body; read only by platforms that report cost in it
     */
    default LimitSignals limitSignals(String lane, int status, Map<String, String> headers, String body) {
        return LimitSignals.retryAfter(headers);
    }

    /** Checks the platform's webhook signature on the raw bytes. */
    WebhookVerifier webhookVerifier(Clock clock);

    /**
     * How records are listed by id: for thin webhook events (ids only) and to confirm deletions at the source;
     * empty when the module cannot (its deletions are then applied as received). Which topic does what is not
     * here: it is the {@code <platform>WebhookTopics} bean of the platform's route file.
     */
    default Optional<WebhookFetch> webhookFetch() {
        return Optional.empty();
    }

    /** How a store of this platform is subscribed to our webhook endpoint, where the platform has an API for it. */
    default Optional<SubscriptionApi> subscriptionApi(com.fasterxml.jackson.databind.ObjectMapper json) {
        return Optional.empty();
    }

    /**
     * Reads the answer to one cheap request for {@code surface}: its first page, one record long
     * ({@code walker.page(null, 0)} of a walker made with page size 1), sent through the store's budget with its
     * credentials. {@code POST /stores/{id}/check} asks this for every enabled surface, so the platform, not the
     * core, knows what its answers mean (a GraphQL {@code ACCESS_DENIED} in a 200, an ACL error in a 401).
     * The default is {@link SurfaceCheck#standard}.
     */
    default SurfaceCheck check(SyncSurface surface, com.commerceidentity.sync.SurfaceWalker walker,
                               com.commerceidentity.sync.PageRequest request, int status, String body,
                               Map<String, String> headers) {
        return SurfaceCheck.standard(walker, request, status, body, headers);
    }

    /**
     * The headers this platform's {@link #credentials} put on a request: the only ones a store call sends beyond
     * {@code Accept} and {@code Content-Type}, so a route's own headers never reach a third party; and dropped
     * from the message once the answer is in, so no later step logs or forwards a secret.
     */
    Set<String> outboundHeaders();
}
