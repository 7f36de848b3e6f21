package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Magento 2.4.8 admin REST simulator, stock by default: integration calls signed with OAuth 1.0a (HMAC-SHA256,
 * timestamp and nonce checks), integration tokens refused as Bearer, the admin token refused under 2FA, no
 * {@code /V1/users}; knobs turn each off. Also store-code prefixes, {@code /V1/customers/search} with
 * Magento's searchCriteria semantics, {@code /V1/customers/{id}}, an extension-style {@code /V1/users} (knob), a slow
 * store (latency and a concurrency cap, no rate limit) and Adobe Commerce webhooks signed with RSA-SHA256.
 * The knobs, shapes and deviations are listed in {@code docs/sandbox.md}.
 */
public final class MagentoSimulator extends Simulator {

    static final String SAVE_EVENT = "observer.customer_save_after_data_object";
    static final String DELETE_EVENT = "observer.customer_delete_commit_after";
    static final String SIGNATURE_HEADER = "x-adobe-commerce-webhook-signature";

    final MagentoConfig config;
    final MagentoStore store;
    final AdminTokens tokens;
    private final ConcurrencyGate gate;
    private final MagentoWebhooks hooks;
    private final CustomersApi customers;
    private final AdminUsersApi adminUsers;
    private final SecureRandom random = new SecureRandom();

    public MagentoSimulator(SandboxSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** {@code clock} makes every time decision (admin token expiry, record timestamps): tests drive it. */
    public MagentoSimulator(SandboxSettings settings, Clock clock) {
        super("magento", settings.port("magento"));
        this.config = new MagentoConfig(settings);
        this.store = new MagentoStore(settings, clock, config.adminUsername);
        this.tokens = new AdminTokens(this, clock);
        this.gate = new ConcurrencyGate(config, this::vertx);
        this.hooks = new MagentoWebhooks(this);
        this.customers = new CustomersApi(this);
        this.adminUsers = new AdminUsersApi(this);
    }

    @Override
    protected void mountRoutes(Router router) {
        router.route("/rest/*").handler(gate::handle);
        for (String prefix : List.of("/rest/V1", "/rest/:store/V1")) {
            router.post(prefix + "/integration/admin/token").handler(tokens::issue);
            router.get(prefix + "/customers/search").handler(customers::search);
            router.get(prefix + "/customers/:id").handler(customers::get);
            router.get(prefix + "/users").handler(adminUsers::list);
        }
    }

    @Override
    protected void notFound(RoutingContext ctx) {
        respondRaw(ctx, 404, Json.bytes(Json.object().put("message", "Request does not match any route.")));
    }

    @Override
    protected void sendServerError(RoutingContext ctx, int status) {
        respondRaw(ctx, status, Json.bytes(Json.object().put("message",
                "Internal Error. Details are available in Magento log file. Report ID: webapi-" + Long.toHexString(random.nextLong()))));
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

    // ---------------------------------------------------------------- knobs

    @Override
    public ObjectNode config() {
        ObjectNode c = config.toJson();
        gate.putCounters(c);
        return c;
    }

    @Override
    public void configure(JsonNode patch) {
        config.apply(patch);
        if (patch.path("regenerateKeyPair").asBoolean()) {
            hooks.regenerateKeyPair();
        }
        if (patch.path("resetPeak").asBoolean()) {
            gate.resetPeak();
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("rest", baseUrl() + "/rest/all/V1");
        d.put("consumer-key", config.consumerKey);
        d.put("consumer-secret", config.consumerSecret);
        d.put("access-token", config.accessToken);
        d.put("access-token-secret", config.accessTokenSecret);
        d.put("username", config.adminUsername);
        d.put("password", config.adminPassword);
        d.put("token", "POST " + baseUrl() + "/rest/V1/integration/admin/token" + (config.twoFactorAuth
                ? " (refused: 2FA is on, {\"twoFactorAuth\":false} turns it off)" : ""));
        d.put("webhookKey", webhookPublicKeyPem());
        d.put("webhook URL", config.webhookUrl != null ? config.webhookUrl
                : "(none: -Dsandbox.magento.webhookUrl=... or POST /_sandbox/config {\"webhookUrl\":...})");
        return d;
    }

    /** The public half of the webhook signing key, as Magento's admin shows it for verifiers. */
    public String webhookPublicKeyPem() {
        return hooks.publicKeyPem();
    }

    public PublicKey webhookPublicKey() {
        return hooks.publicKey();
    }

    // ---------------------------------------------------------------- records and webhooks

    @Override
    public RecordControl records() {
        return new MagentoRecords(store, hooks);
    }

    /**
     * A sandbox store signs its calls with the integration's OAuth 1.0a credentials, as a stock store needs: nothing
     * is generated for it, it takes {@link #storeSettings()}.
     */
    @Override
    public java.util.Set<String> storeCredentials() {
        return java.util.Set.of();
    }

    /** The activated integration's four credentials, for {@code stores.<id>.consumer-key} and the rest. */
    @Override
    public Map<String, String> storeSettings() {
        return Map.of("consumer-key", config.consumerKey, "consumer-secret", config.consumerSecret,
                "access-token", config.accessToken, "access-token-secret", config.accessTokenSecret);
    }

    /** A store configured for the older ways brings its own admin login or integration token: accept those. */
    @Override
    public void serveStore(StoreCredentials c, String basePath) {
        ObjectNode knobs = Json.object();
        if (c.username() != null) {
            knobs.put("adminUsername", c.username());
        }
        if (c.password() != null) {
            knobs.put("adminPassword", c.password());
        }
        if (c.token() != null) {
            knobs.put("accessToken", c.token());
        }
        configure(knobs);
    }
}
