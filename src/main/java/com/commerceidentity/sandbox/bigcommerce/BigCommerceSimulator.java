package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BigCommerce store simulator: {@code /stores/{hash}/v3/customers} and {@code /hooks} behind
 * {@code X-Auth-Token}, a rolling-window quota shared by every app on the store (rate-limit headers on every
 * authenticated response), and thin signed webhooks.
 * <p>
 * Knobs ({@code sandbox.bigcommerce.<knob>} / {@code POST /_sandbox/config}): storeHash, storeId, accessToken,
 * clientId, clientSecret, quota (150), windowMillis (30000), retryAfter (also send Retry-After on 429),
 * coTenantRequestsPerSecond, and one-off coTenantSpend (slots taken now by another app) and overloadNext
 * (the next N requests get a 429 without rate-limit headers: store-wide overload).
 */
public final class BigCommerceSimulator extends Simulator {

    static final Set<String> CUSTOMER_SCOPES = Set.of("store/customer/created", "store/customer/updated", "store/customer/deleted");

    final BigCommerceConfig config;
    final BigCommerceStore store;
    final RollingWindow window;
    final BigCommerceWebhooks hooks;
    private final CustomersApi customers;
    private final HooksApi hooksApi;
    private final AtomicInteger overload = new AtomicInteger();
    private double coTenantCarry;

    public BigCommerceSimulator(SandboxSettings settings) {
        super("bigcommerce", settings.port("bigcommerce"));
        this.config = new BigCommerceConfig(settings);
        this.store = new BigCommerceStore(settings.seedGenerator(), settings.customers("bigcommerce"));
        this.window = new RollingWindow(config.quota, config.windowMillis);
        this.hooks = new BigCommerceWebhooks(this);
        this.customers = new CustomersApi(this);
        this.hooksApi = new HooksApi(this);
    }

    public BigCommerceSimulator() {
        this(SandboxSettings.defaults());
    }

    public String accessToken() {
        return config.accessToken;
    }

    public String storeHash() {
        return config.storeHash;
    }

    public String clientSecret() {
        return config.clientSecret;
    }

    /** {@code baseUrl()/stores/<hash>/v3}. */
    public String apiUrl() {
        return baseUrl() + "/stores/" + config.storeHash + "/v3";
    }

    /** Takes {@code requests} slots of the store's window as another app would. */
    public void spendAsCoTenant(int requests) {
        window.spend(requests);
    }

    /** The next {@code requests} requests are answered 429 without rate-limit headers. */
    public void overloadNext(int requests) {
        overload.set(Math.max(0, requests));
    }

    @Override
    protected void mountRoutes(Router router) {
        router.route("/stores/:hash/v3/*").handler(this::gate);
        String base = "/stores/:hash/v3";
        router.get(base + "/customers").handler(guard(customers::list));
        router.post(base + "/customers").handler(guard(customers::create));
        router.put(base + "/customers").handler(guard(customers::update));
        router.delete(base + "/customers").handler(guard(customers::delete));
        router.get(base + "/hooks").handler(guard(hooksApi::list));
        router.post(base + "/hooks").handler(guard(hooksApi::create));
        router.get(base + "/hooks/:id").handler(guard(hooksApi::get));
        router.put(base + "/hooks/:id").handler(guard(hooksApi::update));
        router.delete(base + "/hooks/:id").handler(guard(hooksApi::delete));
    }

    private Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (ApiError e) {
                respondJson(ctx, e.status, e.toJson());
            }
        };
    }

    private void gate(RoutingContext ctx) {
        if (!config.storeHash.equals(ctx.pathParam("hash"))) {
            respondJson(ctx, 404, new ApiError(404, "Store not found").toJson());
            return;
        }
        if (!config.accessToken.equals(ctx.request().getHeader("X-Auth-Token"))) {
            respondJson(ctx, 401, new ApiError(401, "Unauthorized - the v3 Auth client ID or token in the request are not a valid combination for this store.").toJson());
            return;
        }
        if (overload.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            respondRaw(ctx, 429, Json.bytes(tooManyRequests()));
            return;
        }
        RollingWindow.Decision decision = window.tryAcquire();
        putRateHeaders(ctx, decision);
        if (!decision.allowed()) {
            if (config.retryAfter) {
                ctx.response().putHeader("Retry-After", String.valueOf((decision.resetMillis() + 999) / 1000));
            }
            respondRaw(ctx, 429, Json.bytes(tooManyRequests()));
            return;
        }
        ctx.next();
    }

    private void putRateHeaders(RoutingContext ctx, RollingWindow.Decision decision) {
        ctx.response().putHeader("X-Rate-Limit-Requests-Left", String.valueOf(decision.left()));
        ctx.response().putHeader("X-Rate-Limit-Requests-Quota", String.valueOf(window.quota()));
        ctx.response().putHeader("X-Rate-Limit-Time-Reset-Ms", String.valueOf(decision.resetMillis()));
        ctx.response().putHeader("X-Rate-Limit-Time-Window-Ms", String.valueOf(window.windowMillis()));
    }

    private static ObjectNode tooManyRequests() {
        return new ApiError(429, "Too many requests", Map.of()).toJson();
    }

    @Override
    protected void sendRateLimited(RoutingContext ctx) {
        RollingWindow.Decision now = new RollingWindow.Decision(false, 0, window.windowMillis());
        putRateHeaders(ctx, now);
        respondRaw(ctx, 429, Json.bytes(tooManyRequests()));
    }

    @Override
    protected void sendServerError(RoutingContext ctx, int status) {
        respondRaw(ctx, status, Json.bytes(new ApiError(status, status == 503 ? "Service Unavailable"
                : status == 502 ? "Bad Gateway" : status == 504 ? "Gateway Timeout" : "Internal Server Error").toJson()));
    }

    @Override
    protected void notFound(RoutingContext ctx) {
        respondRaw(ctx, 404, Json.bytes(new ApiError(404, "The requested resource was not found").toJson()));
    }

    @Override
    protected void onStart() {
        vertx().setPeriodic(100, id -> {
            double rate = config.coTenantRequestsPerSecond;
            if (rate <= 0) {
                coTenantCarry = 0;
                return;
            }
            coTenantCarry += rate / 10;
            int whole = (int) Math.floor(coTenantCarry);
            coTenantCarry -= whole;
            window.spend(whole);
        });
    }

    void json(RoutingContext ctx, int status, Object body) {
        respondJson(ctx, status, body);
    }

    void offloadList(RoutingContext ctx, Runnable work) {
        offload(ctx, work);
    }

    boolean takeFault(RoutingContext ctx, FaultType type) {
        return takeListFault(ctx, type);
    }

    @Override
    public ObjectNode config() {
        ObjectNode node = config.toJson();
        node.put("windowUsed", window.used());
        node.put("overloadNext", overload.get());
        node.put("standardWebhooksSecret", BigCommerceWebhooks.standardWebhooksSecret(config.clientSecret));
        return node;
    }

    @Override
    public void configure(JsonNode patch) {
        config.apply(patch);
        window.reconfigure(config.quota, config.windowMillis);
        if (patch.has("coTenantSpend")) {
            window.spend(patch.get("coTenantSpend").asInt());
        }
        if (patch.has("overloadNext")) {
            overloadNext(patch.get("overloadNext").asInt());
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("API", apiUrl());
        d.put("store hash", config.storeHash);
        d.put("access token", config.accessToken + "  (header X-Auth-Token)");
        d.put("client id", config.clientId);
        d.put("client secret", config.clientSecret);
        d.put("webhook secret", BigCommerceWebhooks.standardWebhooksSecret(config.clientSecret) + "  (Standard Webhooks)");
        d.put("quota", config.quota + " per " + config.windowMillis + " ms");
        return d;
    }

    @Override
    public RecordControl records() {
        return new Records(this);
    }

    /** Control-API record operations; mutations fire store/customer/* webhooks to matching hooks. */
    private record Records(BigCommerceSimulator sim) implements RecordControl {

        @Override
        public List<JsonNode> list(String kind) {
            requireCustomer(kind);
            return sim.store.customers().stream().map(c -> (JsonNode) c.toJson()).toList();
        }

        @Override
        public Optional<JsonNode> get(String kind, String id) {
            requireCustomer(kind);
            return sim.store.customer(parseId(id)).map(BigCommerceCustomer::toJson);
        }

        @Override
        public JsonNode create(String kind, JsonNode fields) {
            requireCustomer(kind);
            for (String required : List.of("email", "first_name", "last_name")) {
                if (!fields.path(required).isTextual()) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
            BigCommerceCustomer c = sim.store.create(fields);
            sim.hooks.send("store/customer/created", c.id);
            return c.toJson();
        }

        @Override
        public Optional<JsonNode> update(String kind, String id, JsonNode fields) {
            requireCustomer(kind);
            return sim.store.update(parseId(id), fields).map(c -> {
                sim.hooks.send("store/customer/updated", c.id);
                return c.toJson();
            });
        }

        @Override
        public boolean delete(String kind, String id) {
            requireCustomer(kind);
            Optional<BigCommerceCustomer> removed = sim.store.delete(parseId(id));
            removed.ifPresent(c -> sim.hooks.send("store/customer/deleted", c.id));
            return removed.isPresent();
        }

        @Override
        public Optional<JsonNode> touch(String kind, String id) {
            return update(kind, id, Json.object());
        }

        @Override
        public void triggerWebhook(String topic, String id) {
            if (!CUSTOMER_SCOPES.contains(topic)) {
                throw new IllegalArgumentException("unsupported scope " + topic + "; supported: " + CUSTOMER_SCOPES);
            }
            int customerId = parseId(id);
            if (!topic.equals("store/customer/deleted") && sim.store.customer(customerId).isEmpty()) {
                throw new NoSuchElementException("no customer " + id);
            }
            sim.hooks.send(topic, customerId);
        }

        private static void requireCustomer(String kind) {
            if (!CUSTOMER.equals(kind)) {
                throw new IllegalArgumentException("BigCommerce has customers only; kind must be customer");
            }
        }

        private static int parseId(String id) {
            try {
                return Integer.parseInt(id);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("id must be an integer: " + id);
            }
        }
    }

    /** The store hash is the base URL's path: {@code /stores/<hash>}. */
    @Override
    public void serveStore(StoreCredentials c, String basePath) {
        com.fasterxml.jackson.databind.node.ObjectNode knobs = Json.object().put("accessToken", c.token());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/stores/([A-Za-z0-9]+)/?").matcher(basePath);
        if (m.matches()) {
            knobs.put("storeHash", m.group(1));
        }
        configure(knobs);
    }
}
