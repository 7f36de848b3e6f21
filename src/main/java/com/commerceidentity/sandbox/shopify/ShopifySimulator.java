package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Shopify store simulator: REST Admin customers ({@code X-Shopify-Access-Token}, leaky bucket, cursor
 * paging), REST webhook subscriptions ({@code webhooks.json}), GraphQL {@code staffMembers} (query-cost points),
 * SCIM {@code /scim/v2/Users}, and signed customer webhooks to the subscribed addresses (or, while there are
 * none, to {@code webhookUrl}).
 * <p>
 * Knobs ({@code sandbox.shopify.<knob>} at start, {@code POST /_sandbox/config} at run time): accessToken,
 * scimToken, appSecret, shopDomain, shopId, timezone, bucketCapacity (40), leakPerSecond (2),
 * graphqlMaximumAvailable (1000), graphqlRestoreRate (50), webhookUrl, webhookApiVersion,
 * coTenantRequestsPerSecond (another app draining the same REST bucket continuously), and the one-off
 * coTenantSpend / coTenantGraphqlSpend.
 */
public final class ShopifySimulator extends Simulator {

    static final String INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

    final ShopifyConfig config;
    final ShopifyStore store;
    final LeakyBucket restBucket;
    final LeakyBucket graphqlPoints;
    private final ShopifyWebhooks hooks;
    private final WebhookSubscriptionsApi webhookSubscriptions;
    private final CustomerRestApi rest;
    private final StaffGraphqlApi graphql;
    private final ScimUsersApi scim;
    private final BulkOperationsApi bulk;

    public ShopifySimulator(SandboxSettings settings) {
        super("shopify", settings.port("shopify"));
        this.config = new ShopifyConfig(settings);
        this.store = new ShopifyStore(settings.seedGenerator(), settings.customers("shopify"), settings.staff("shopify"));
        this.restBucket = new LeakyBucket(config.bucketCapacity, config.leakPerSecond);
        this.graphqlPoints = new LeakyBucket(config.graphqlMaximumAvailable, config.graphqlRestoreRate);
        WebhookSubscriptions subscriptions = new WebhookSubscriptions();
        this.hooks = new ShopifyWebhooks(this, subscriptions);
        this.webhookSubscriptions = new WebhookSubscriptionsApi(this, subscriptions);
        this.rest = new CustomerRestApi(this);
        this.graphql = new StaffGraphqlApi(this);
        this.scim = new ScimUsersApi(this);
        this.bulk = new BulkOperationsApi(this, settings);
    }

    public ShopifySimulator() {
        this(SandboxSettings.defaults());
    }

    public String accessToken() {
        return config.accessToken;
    }

    public String scimToken() {
        return config.scimToken;
    }

    public String appSecret() {
        return config.appSecret;
    }

    /** {@code baseUrl()/admin/api/<version>} for the given API version. */
    public String adminUrl(String version) {
        return baseUrl() + "/admin/api/" + version;
    }

    /** Pours {@code requests} into the REST bucket as another app on the same store would. */
    public void spendAsCoTenant(int requests) {
        restBucket.spend(requests);
    }

    /** Current REST bucket level (0..capacity). */
    public double restBucketLevel() {
        return restBucket.level();
    }

    @Override
    protected void mountRoutes(Router router) {
        router.postWithRegex("/admin/api/[^/]+/graphql\\.json").handler(ctx -> {
            if (!authorized(ctx)) {
                return;
            }
            JsonNode request = graphqlRequest(ctx);
            String query = request == null ? "" : request.path("query").asText("");
            if (BulkOperationsApi.handles(query)) {
                bulk.handle(ctx, query, request.path("variables"));
            } else {
                graphql.handle(ctx);
            }
        });
        bulk.mount(router);
        router.routeWithRegex("/admin/api/.*").handler(this::restGate);
        rest.mount(router);
        webhookSubscriptions.mount(router);
        router.get("/scim/v2/Users").handler(scim::handle);
    }

    /** The GraphQL request body, or null when it is not JSON (the staff API answers that). */
    private static JsonNode graphqlRequest(RoutingContext ctx) {
        try {
            return Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Where a webhook of {@code topic} is delivered: {address, API version} each. */
    List<String[]> webhookTargets(String topic) {
        return hooks.addresses(topic);
    }

    /** The status of the shop's most recent bulk operation (null: none yet). */
    public String currentBulkOperationStatus() {
        return bulk.currentStatus();
    }

    private boolean authorized(RoutingContext ctx) {
        if (config.accessToken.equals(ctx.request().getHeader("X-Shopify-Access-Token"))) {
            return true;
        }
        json(ctx, 401, Json.object().put("errors", INVALID_TOKEN));
        return false;
    }

    private void restGate(RoutingContext ctx) {
        if (!authorized(ctx)) {
            return;
        }
        if (ctx.request().path().contains("/customers") && !config.granted("read_customers")) {
            json(ctx, 403, Json.object().put("errors",
                    "[API] This action requires merchant approval for read_customers scope."));
            return;
        }
        if (!restBucket.tryPour(1)) {
            sendRateLimited(ctx);
            return;
        }
        ctx.response().putHeader("X-Shopify-Shop-Api-Call-Limit", callLimit());
        ctx.next();
    }

    private String callLimit() {
        return (long) Math.ceil(restBucket.level() - 1e-9) + "/" + (long) restBucket.capacity();
    }

    @Override
    protected void sendRateLimited(RoutingContext ctx) {
        double wait = Math.max(0.1, Math.ceil(restBucket.secondsUntilRoomFor(1) * 10) / 10);
        ctx.response().putHeader("Retry-After", String.format(Locale.ROOT, "%.1f", wait));
        ctx.response().putHeader("X-Shopify-Shop-Api-Call-Limit", (long) restBucket.capacity() + "/" + (long) restBucket.capacity());
        respondRaw(ctx, 429, Json.bytes(Json.object().put("errors",
                "Exceeded " + (long) restBucket.leakPerSecond() + " calls per second for api client. Reduce request rates to resume uninterrupted service.")));
    }

    @Override
    protected void onStart() {
        bulk.start(vertx());
        vertx().setPeriodic(100, id -> {
            double rate = config.coTenantRequestsPerSecond;
            if (rate > 0) {
                restBucket.spend(rate / 10);
            }
        });
    }

    void json(RoutingContext ctx, int status, Object body) {
        respondJson(ctx, status, body);
    }

    void scim(RoutingContext ctx, int status, Object body) {
        respondJson(ctx, status, body);
    }

    boolean takeFault(RoutingContext ctx, FaultType type) {
        return takeListFault(ctx, type);
    }

    @Override
    public ObjectNode config() {
        ObjectNode node = config.toJson();
        node.setAll(bulk.config());
        node.put("restBucketLevel", restBucket.level());
        node.put("graphqlCurrentlyAvailable", graphqlPoints.available());
        return node;
    }

    @Override
    public void configure(JsonNode bulkAndShopPatch) {
        JsonNode patch = bulk.configure(bulkAndShopPatch);
        config.apply(patch);
        restBucket.reconfigure(config.bucketCapacity, config.leakPerSecond);
        graphqlPoints.reconfigure(config.graphqlMaximumAvailable, config.graphqlRestoreRate);
        if (patch.has("coTenantSpend")) {
            restBucket.spend(patch.get("coTenantSpend").asDouble());
        }
        if (patch.has("coTenantGraphqlSpend")) {
            graphqlPoints.spend(patch.get("coTenantGraphqlSpend").asDouble());
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("admin API", baseUrl() + "/admin/api/2025-07");
        d.put("access token", config.accessToken + "  (header X-Shopify-Access-Token)");
        d.put("SCIM", baseUrl() + "/scim/v2/Users  (Authorization: Bearer " + config.scimToken + ")");
        d.put("app secret", config.appSecret + "  (X-Shopify-Hmac-Sha256)");
        d.put("shop domain", config.shopDomain);
        d.put("webhook URL", config.webhookUrl == null ? "(none: -Dsandbox.shopify.webhookUrl=... or POST /_sandbox/config {\"webhookUrl\":...})" : config.webhookUrl);
        return d;
    }

    @Override
    public RecordControl records() {
        return new ShopifyRecords(this);
    }

    /** Control-API record operations; customer mutations fire the matching webhooks. */
    private record ShopifyRecords(ShopifySimulator sim) implements RecordControl {

        @Override
        public List<JsonNode> list(String kind) {
            if (STAFF.equals(kind)) {
                return sim.store.staff().stream().map(s -> (JsonNode) staffJson(s)).toList();
            }
            requireCustomer(kind);
            return sim.store.customers().stream().map(c -> (JsonNode) json(c)).toList();
        }

        @Override
        public Optional<JsonNode> get(String kind, String id) {
            if (STAFF.equals(kind)) {
                return sim.store.staff().stream().filter(s -> String.valueOf(s.id()).equals(id)).findFirst().map(ShopifyRecords::staffJson);
            }
            requireCustomer(kind);
            return sim.store.customer(parseId(id)).map(this::json);
        }

        @Override
        public JsonNode create(String kind, JsonNode fields) {
            if (STAFF.equals(kind)) {
                return staffJson(sim.store.addStaff(fields));
            }
            requireCustomer(kind);
            ShopifyCustomer customer = sim.store.create(fields);
            sim.hooks.send("customers/create", customer);
            return json(customer);
        }

        @Override
        public Optional<JsonNode> update(String kind, String id, JsonNode fields) {
            if (STAFF.equals(kind)) {
                // deactivating a staff account (active: false) is what offboarding looks like before deletion
                return sim.store.updateStaff(parseId(id), fields).map(ShopifyRecords::staffJson);
            }
            requireCustomer(kind);
            long customerId = parseId(id);
            String before = sim.store.customer(customerId).map(c -> c.state).orElse(null);
            return sim.store.update(customerId, fields).map(customer -> {
                sim.hooks.send("customers/update", customer);
                if (!customer.state.equals(before) && customer.state.equals("enabled")) {
                    sim.hooks.send("customers/enable", customer);
                }
                if (!customer.state.equals(before) && customer.state.equals("disabled")) {
                    sim.hooks.send("customers/disable", customer);
                }
                return json(customer);
            });
        }

        @Override
        public boolean delete(String kind, String id) {
            if (STAFF.equals(kind)) {
                return sim.store.removeStaff(parseId(id));
            }
            requireCustomer(kind);
            Optional<ShopifyCustomer> removed = sim.store.delete(parseId(id));
            removed.ifPresent(c -> sim.hooks.send("customers/delete", c));
            return removed.isPresent();
        }

        @Override
        public Optional<JsonNode> touch(String kind, String id) {
            requireCustomer(kind);
            return sim.store.touch(parseId(id)).map(c -> {
                sim.hooks.send("customers/update", c);
                return json(c);
            });
        }

        @Override
        public void triggerWebhook(String topic, String id) {
            long customerId = parseId(id);
            ShopifyCustomer customer = sim.store.customer(customerId).orElseGet(() -> {
                if (topic.equals("customers/delete") || topic.equals("customers/redact")) {
                    return new ShopifyCustomer(customerId, java.time.Instant.now());
                }
                throw new java.util.NoSuchElementException("no customer " + id);
            });
            sim.hooks.send(topic, customer);
        }

        private JsonNode json(ShopifyCustomer customer) {
            return customer.toJson(sim.config.timezone, "USD");
        }

        private static void requireCustomer(String kind) {
            if (!CUSTOMER.equals(kind)) {
                throw new IllegalArgumentException("kind must be customer or staff");
            }
        }

        private static long parseId(String id) {
            try {
                return Long.parseLong(id);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("id must be an integer: " + id);
            }
        }

        private static ObjectNode staffJson(ShopifyStaff s) {
            ObjectNode node = Json.object();
            node.put("id", s.id());
            node.put("gid", s.gid());
            node.put("firstName", s.firstName());
            node.put("lastName", s.lastName());
            node.put("email", s.email());
            node.put("phone", s.phone());
            node.put("active", s.active());
            node.put("accountType", s.accountType());
            node.put("isShopOwner", s.shopOwner());
            node.put("locale", s.locale());
            return node;
        }
    }

    @Override
    public void serveStore(StoreCredentials c, String basePath) {
        configure(Json.object().put("accessToken", c.token()).put("appSecret", c.webhookSecret())
                .put("scimToken", c.scimToken()));
    }
}
