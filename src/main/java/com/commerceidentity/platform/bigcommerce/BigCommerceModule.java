package com.commerceidentity.platform.bigcommerce;

import com.commerceidentity.budget.LimitSignals;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.PlatformMapper;
import com.commerceidentity.platform.Credentials;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.commerceidentity.webhook.SubscriptionApi;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** BigCommerce: customers v3; a rolling window of requests; thin webhooks whose records are fetched by id. */
public class BigCommerceModule implements PlatformModule {

    @Override
    public String id() {
        return "bigcommerce";
    }

    @Override
    public List<SyncSurface> surfaces() {
        return List.of(new SyncSurface("customers", Kind.CUSTOMER, true, 250,
                (store, size) -> new BigCommerceCustomerPages(size)));
    }

    @Override
    public PlatformMapper mapper(AccountNormalizer normalizer) {
        return new BigCommerceMapper(normalizer);
    }

    @Override
    public Credentials credentials() {
        return (store, path, m, session) -> m.setHeader("X-Auth-Token", Credentials.required(store, store.token(), "token"));
    }

    @Override
    public Map<String, String> budgetPolicies() {
        return Map.of("rest", "rolling-window");
    }

    /**
     * Eight: the specification's "Limit of 3 concurrent requests" is stated on writes ({@code PUT /customers},
     * addresses, attribute values), not on {@code GET /customers}. A backfill's last rolling window goes out as
     * fast as its first one did, and that is as fast as the requests in flight allow: at 250 ms an answer (about
     * 300 ms with reading the page) three fetch 10 pages a second and ended a 100,000-customer backfill at 1.14 x
     * the minimum, six at 1.10, eight at 1.08 (SyncBenchmark). The budget still holds every window to 150 per 30 s.
     */
    @Override
    public java.util.OptionalInt readsInFlight() {
        return java.util.OptionalInt.of(8);
    }

    /**
     * Every answer states the store's rolling window: {@code X-Rate-Limit-Time-Window-Ms},
     * {@code -Requests-Quota}, {@code -Requests-Left} and {@code -Time-Reset-Ms}.
     */
    @Override
    public LimitSignals limitSignals(String lane, int status, Map<String, String> headers, String body) {
        return LimitSignals.retryAfter(headers).withWindow(new LimitSignals.Window(
                LimitSignals.wholeNumber(headers.get("X-Rate-Limit-Time-Window-Ms")),
                LimitSignals.wholeNumber(headers.get("X-Rate-Limit-Requests-Quota")),
                LimitSignals.wholeNumber(headers.get("X-Rate-Limit-Requests-Left")),
                LimitSignals.wholeNumber(headers.get("X-Rate-Limit-Time-Reset-Ms"))));
    }

    @Override
    public WebhookVerifier webhookVerifier(Clock clock) {
        return new BigCommerceWebhookVerifier(clock);
    }

    /** BigCommerce events carry the customer's id only. */
    @Override
    public Optional<WebhookFetch> webhookFetch() {
        return Optional.of(new WebhookFetch() {
            @Override
            public StoreRequest request(StoreConfig store, Kind kind, Set<String> ids) {
                return StoreRequest.get("/v3/customers", URLEncoder.encode("id:in", StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8) + "&limit=250");
            }

            @Override
            public JsonNode records(JsonNode answer, Kind kind) {
                return answer.path("data");
            }
        });
    }

    @Override
    public Optional<SubscriptionApi> subscriptionApi(ObjectMapper json) {
        return Optional.of(new BigCommerceSubscriptionApi(json));
    }

    @Override
    public Set<String> outboundHeaders() {
        return Set.of("x-auth-token");
    }
}
