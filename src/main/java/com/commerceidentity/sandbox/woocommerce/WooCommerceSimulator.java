package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * WooCommerce site simulator (WordPress + WooCommerce, REST namespace {@code wc/v3}), following
 * {@code platform-specs/woocommerce/facts.json}. The base URL is the site root; the API is under
 * {@value Site#API}: {@code /customers} (GET), {@code /customers/{id}} (GET, DELETE), {@code /webhooks}
 * (GET, POST), {@code /webhooks/{id}} (GET, PUT/POST/PATCH, DELETE). Every WordPress user is served by the
 * customers endpoint; staff are the users with role administrator / shop_manager. There is no rate limit
 * (WooCommerce core has none); the framework's faults still apply. Time comes from the injected {@link Clock}.
 * <p>
 * Knobs ({@code sandbox.woocommerce.<knob>} / {@code POST /_sandbox/config}): see {@link WooConfig}. Record kinds:
 * {@code customer}, {@code staff}.
 */
public final class WooCommerceSimulator extends Simulator {

    static final String WC_VERSION = "10.3.5";
    static final String WP_VERSION = "6.8.3";
    private static final String USER = "wc.user";
    private static final Set<String> SHOP_MANAGER_CAPS = Set.of("list_users", "edit_users", "delete_users",
            "promote_users", "create_customers", "manage_woocommerce");

    final Clock clock;
    final WooConfig config;
    final UserStore store;
    final WooWebhooks hooks;
    private final ApiKey key;
    private final WooAuth auth;
    private final CustomersApi customers;
    private final WebhooksApi webhooksApi;

    public WooCommerceSimulator(SandboxSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public WooCommerceSimulator(SandboxSettings settings, Clock clock) {
        super("woocommerce", settings.port("woocommerce"));
        this.clock = clock;
        this.config = new WooConfig(settings);
        this.store = new UserStore(clock, Seeds.users(settings.seedGenerator(), settings.customers("woocommerce"),
                settings.staff("woocommerce")));
        this.key = new ApiKey(config.consumerKey, config.consumerSecret, config.keyPermissions, config.keyUserId);
        this.hooks = new WooWebhooks(this);
        this.auth = new WooAuth(this);
        this.customers = new CustomersApi(this);
        this.webhooksApi = new WebhooksApi(this);
        String webhookUrl = settings.webhookUrl("woocommerce");
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            // stands for a store admin who set up the three customer webhooks in WooCommerce > Settings > Advanced
            for (String event : new String[]{"created", "updated", "deleted"}) {
                hooks.add(1, "Sandbox: customer " + event, "customer." + event, webhookUrl, config.webhookSecret);
            }
        }
    }

    public WooCommerceSimulator() {
        this(SandboxSettings.defaults());
    }

    public String consumerKey() {
        return key.consumerKey;
    }

    public String consumerSecret() {
        return key.consumerSecret;
    }

    /** {@code <home>/wp-json/wc/v3}. */
    public String apiUrl() {
        return site().api("");
    }

    Site site() {
        String home = config.homeUrl != null ? config.homeUrl : baseUrl();
        return new Site(home == null ? "http://127.0.0.1" : home.replaceAll("/+$", ""), config.timezone);
    }

    @Override
    protected void mountRoutes(Router router) {
        router.route("/wp-json/*").handler(this::gate);
        String api = "\\/wp-json\\/wc\\/v3";
        router.get("/wp-json/wc/v3/customers").handler(guard(customers::list));
        router.getWithRegex(api + "\\/customers\\/(?<id>\\d+)").handler(guard(customers::get));
        router.deleteWithRegex(api + "\\/customers\\/(?<id>\\d+)").handler(guard(customers::delete));
        router.get("/wp-json/wc/v3/webhooks").handler(guard(webhooksApi::list));
        router.post("/wp-json/wc/v3/webhooks").handler(guard(webhooksApi::create));
        router.getWithRegex(api + "\\/webhooks\\/(?<id>\\d+)").handler(guard(webhooksApi::get));
        for (io.vertx.core.http.HttpMethod editable : new io.vertx.core.http.HttpMethod[]{io.vertx.core.http.HttpMethod.PUT,
                io.vertx.core.http.HttpMethod.POST, io.vertx.core.http.HttpMethod.PATCH}) {
            router.routeWithRegex(editable, api + "\\/webhooks\\/(?<id>\\d+)").handler(guard(webhooksApi::update));
        }
        router.deleteWithRegex(api + "\\/webhooks\\/(?<id>\\d+)").handler(guard(webhooksApi::delete));
    }

    /** WP_REST_Server::serve_request() headers, then WC_REST_Authentication and the key's read/write permission. */
    private void gate(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader("X-Robots-Tag", "noindex");
        response.putHeader("Link", "<" + site().home() + "/wp-json/>; rel=\"https://api.w.org/\"");
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link");
        response.putHeader("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type");
        WooAuth.Result result = auth.authenticate(ctx);
        if (result.error() != null) {
            send(ctx, result.error().status, result.error().toJson());
            return;
        }
        if (result.key() != null) {
            String method = ctx.request().method().name();
            boolean reading = method.equals("GET") || method.equals("HEAD");
            boolean writing = Set.of("POST", "PUT", "PATCH", "DELETE").contains(method);
            String denied = reading && !result.key().canRead() ? "The API key provided does not have read permissions."
                    : writing && !result.key().canWrite() ? "The API key provided does not have write permissions."
                    : !reading && !writing && !method.equals("OPTIONS") ? "Unknown request method." : null;
            if (denied != null) {
                send(ctx, 401, new RestError("woocommerce_rest_authentication_error", denied, 401).toJson());
                return;
            }
        }
        ctx.put(USER, result.userId());
        ctx.next();
    }

    private Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (RestError e) {
                send(ctx, e.status, e.toJson());
            }
        };
    }

    static Integer currentUser(RoutingContext ctx) {
        return ctx.get(USER);
    }

    /** The key matching a consumer key, unless revoked. */
    ApiKey key(String consumerKey) {
        return !key.revoked && key.consumerKey.equals(consumerKey == null ? null : consumerKey.trim()) ? key : null;
    }

    /** current_user_can(): administrators have every capability, shop managers WooCommerce's share of them. */
    boolean can(Integer userId, String capability) {
        Optional<WpUser> user = userId == null ? Optional.empty() : store.get(userId);
        return user.map(u -> u.hasRole("administrator") || u.hasRole("shop_manager") && SHOP_MANAGER_CAPS.contains(capability))
                .orElse(false);
    }

    /** wc_rest_check_user_permissions('delete', id): shop managers may only delete plain customers. */
    boolean canDelete(Integer userId, WpUser target) {
        if (!can(userId, "delete_users")) {
            return false;
        }
        boolean admin = store.get(userId).map(u -> u.hasRole("administrator")).orElse(false);
        return admin || target.roles.stream().allMatch("customer"::equals);
    }

    /** wp_delete_user(): fires delete_user while the user still exists, removes the row, revokes its API keys. */
    Optional<WpUser> deleteUser(int id) {
        Optional<WpUser> before = store.get(id);
        before.ifPresent(u -> hooks.event("customer.deleted", u));
        Optional<WpUser> removed = store.delete(id);
        removed.ifPresent(u -> {
            if (key.userId == u.id) {
                key.revoked = true;
            }
        });
        return removed;
    }

    /** Sends {@code body} as PHP's json_encode writes it; body faults still apply. */
    void send(RoutingContext ctx, int status, JsonNode body) {
        respondJson(ctx, status, new RawValue(PhpJson.encode(body)));
    }

    /** JSON or form parameters of a write request over its query parameters, as WP_REST_Request merges them. */
    JsonNode requestBody(RoutingContext ctx) {
        ObjectNode params = Json.object();
        PhpQuery.parse(ctx.request().query()).values.forEach((k, v) -> params.set(k, Json.MAPPER.valueToTree(v)));
        Buffer buffer = ctx.body().buffer();
        String type = String.valueOf(ctx.request().getHeader("Content-Type"));
        if (type.startsWith("application/json") && buffer != null && buffer.length() > 0) {
            JsonNode body;
            try {
                body = Json.parse(buffer.getBytes());
            } catch (IllegalArgumentException e) {
                throw new RestError("rest_invalid_json", "Invalid JSON body passed.", 400);
            }
            if (body.isObject()) {
                params.setAll((ObjectNode) body);
            }
        } else {
            ctx.request().formAttributes().forEach(e -> params.put(e.getKey(), e.getValue()));
        }
        return params;
    }

    void offloadList(RoutingContext ctx, Runnable work) {
        offload(ctx, work);
    }

    boolean takeFault(RoutingContext ctx, FaultType type) {
        return takeListFault(ctx, type);
    }

    /** Runs {@code work} on the event loop after {@code millis} (at once when not started). */
    void later(long millis, Runnable work) {
        Vertx vertx = vertx();
        if (vertx == null) {
            work.run();
        } else {
            vertx.setTimer(Math.max(1, millis), id -> work.run());
        }
    }

    @Override
    protected void sendServerError(RoutingContext ctx, int status) {
        if (status != 500) {
            super.sendServerError(ctx, status);
            return;
        }
        // WP_Fatal_Error_Handler's answer to a REST request
        ObjectNode body = new RestError("internal_server_error", "<p>There has been a critical error on this website.</p>"
                + "<p><a href=\"https://wordpress.org/documentation/article/faq-troubleshooting/\">Learn more about troubleshooting WordPress.</a></p>", 500).toJson();
        body.putArray("additional_errors");
        respondRaw(ctx, 500, PhpJson.encode(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    protected void notFound(RoutingContext ctx) {
        respondRaw(ctx, 404, PhpJson.encode(RestError.noRoute().toJson()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public ObjectNode config() {
        ObjectNode node = config.toJson();
        node.put("keyRevoked", key.revoked);
        var list = node.putArray("webhooks");
        hooks.all().forEach(h -> list.addObject().put("id", h.id).put("topic", h.topic).put("status", h.status)
                .put("deliveryUrl", h.deliveryUrl).put("failureCount", h.failureCount));
        return node;
    }

    @Override
    public void configure(JsonNode patch) {
        config.apply(patch);
        key.consumerKey = config.consumerKey;
        key.consumerSecret = config.consumerSecret;
        key.permissions = config.keyPermissions;
        if (patch.has("keyUserId") || patch.has("consumerKey")) {
            key.userId = config.keyUserId;
            key.revoked = false;
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("site (home URL)", site().home());
        d.put("API", apiUrl());
        d.put("consumer key", key.consumerKey + "  (HTTP Basic user, or ?consumer_key=)");
        d.put("consumer secret", key.consumerSecret + "  (HTTP Basic password, or ?consumer_secret=)");
        d.put("auth", config.https ? "site is HTTPS (knob https=true): Basic, query keys or OAuth 1.0a"
                : "site is plain HTTP (knob https=false): OAuth 1.0a one-legged only");
        d.put("key", config.keyPermissions + " key of user " + key.userId + (key.revoked ? " (revoked: user deleted)" : ""));
        d.put("webhook secret", config.webhookSecret + "  (webhooks created for sandbox.woocommerce.webhookUrl)");
        d.put("webhook delivery", config.safeRemoteRequests
                ? "stock wp_safe_remote_request: loopback/private hosts and ports other than 80/443/8080 are refused (knob safeRemoteRequests=false to deliver to 127.0.0.1)"
                : "any http(s) URL (safeRemoteRequests=false)");
        return d;
    }

    @Override
    public RecordControl records() {
        return new WooRecords(this);
    }

    /** A sandbox store signs in with the site's API key (its consumer key and secret), not a token or a login. */
    @Override
    public java.util.Set<String> storeCredentials() {
        return java.util.Set.of();
    }

    @Override
    public Map<String, String> storeSettings() {
        return Map.of("consumer-key", consumerKey(), "consumer-secret", consumerSecret());
    }

    @Override
    public void serveStore(StoreCredentials c, String basePath) {
        configure(Json.object().put("webhookSecret", c.webhookSecret()));
    }
}
