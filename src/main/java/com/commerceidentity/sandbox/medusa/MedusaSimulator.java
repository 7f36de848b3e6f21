package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Medusa v2 admin API simulator: {@code POST /auth/user/emailpass} issuing HS256 JWTs, secret API keys,
 * {@code /admin/customers} and {@code /admin/users} lists and lookups with Medusa's query rules, soft deletes, and
 * the identity events delivered over the HTTP contract documented in {@code docs/sandbox.md} (Medusa itself has no
 * outbound webhooks).
 */
public final class MedusaSimulator extends Simulator {

    static final String SIGNATURE_HEADER = "x-medusa-signature";
    static final String EVENT_ID_HEADER = "x-medusa-event-id";

    final MedusaConfig config;
    final MedusaStore store;
    final MedusaAuth auth;
    private final MedusaWebhooks hooks;
    private final AdminResourceApi customers;
    private final AdminResourceApi users;
    private final MedusaInvites invites;

    public MedusaSimulator(SandboxSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** {@code clock} makes every time decision (token iat/exp and expiry, record and event timestamps): tests drive it. */
    public MedusaSimulator(SandboxSettings settings, Clock clock) {
        super("medusa", settings.port("medusa"));
        // One sequence for the default secrets and then the seeded ids: both repeat with the seed.
        Random seeded = new Random(settings.seed() * 17 + 5);
        this.config = new MedusaConfig(settings, seeded);
        this.store = new MedusaStore(settings, clock, seeded, config.adminEmail);
        this.auth = new MedusaAuth(this, clock);
        this.hooks = new MedusaWebhooks(this, clock);
        this.customers = AdminResourceApi.customers(this);
        this.users = AdminResourceApi.users(this);
        this.invites = new MedusaInvites(this, clock, settings.seedGenerator().people("medusa-invites",
                Math.min(2, settings.staff("medusa"))), seeded);
    }

    @Override
    protected void mountRoutes(Router router) {
        router.post("/auth/user/emailpass").handler(auth::login);
        router.get("/admin/customers").handler(customers::list);
        router.get("/admin/customers/:id").handler(customers::one);
        router.get("/admin/users").handler(users::list);
        router.get("/admin/users/:id").handler(users::one);
        router.get("/admin/invites").handler(invites::list);
        router.get("/admin/invites/:id").handler(invites::one);
    }

    @Override
    protected void sendServerError(RoutingContext ctx, int status) {
        respondRaw(ctx, status, Json.bytes(Json.object().put("code", "unknown_error").put("type", "unknown_error")
                .put("message", "An unknown error occurred.")));
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

    /** JavaScript's {@code Date.toISOString()}, as every Medusa timestamp is written. */
    static String iso(Instant t) {
        return MedusaShapes.iso(t);
    }

    // ---------------------------------------------------------------- knobs

    @Override
    public ObjectNode config() {
        return config.toJson();
    }

    @Override
    public void configure(JsonNode patch) {
        String adminBefore = config.adminEmail;
        config.apply(patch);
        // The login /_sandbox publishes must be a user who exists: the seeded admin takes the new address.
        if (!adminBefore.equals(config.adminEmail)) {
            store.renameUser(adminBefore, config.adminEmail);
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("login", "POST " + baseUrl() + "/auth/user/emailpass {\"email\":\"" + config.adminEmail + "\",\"password\":\""
                + config.adminPassword + "\"}");
        d.put("apiKey", config.apiKey + "  (Authorization: Basic base64(\"" + config.apiKey + ":\"))");
        d.put("webhookSecret", config.webhookSecret);
        d.put("webhook URL", config.webhookUrl != null ? config.webhookUrl
                : "(none: -Dsandbox.medusa.webhookUrl=... or POST /_sandbox/config {\"webhookUrl\":...})");
        return d;
    }

    public String apiKey() {
        return config.apiKey;
    }

    public String webhookSecret() {
        return config.webhookSecret;
    }

    // ---------------------------------------------------------------- records and events

    /** An admin invites {@code email} ({@code POST /admin/invites}): a pending invite, and its {@code invite.created}. */
    public JsonNode invite(String email) {
        return invites.create(email);
    }

    /**
     * The invitee accepts ({@code POST /admin/invites/accept}): the user is created, the invite soft-deleted.
     *
     * @return the new user
     */
    public JsonNode acceptInvite(String inviteId, String firstName, String lastName) {
        return invites.accept(inviteId, firstName, lastName);
    }

    /** The invites {@code GET /admin/invites} lists: not accepted, not deleted. */
    public List<? extends JsonNode> pendingInvites() {
        return invites.pending();
    }

    void emit(String event, String id) {
        hooks.emit(event, id);
    }

    @Override
    public RecordControl records() {
        return new MedusaRecords(store, hooks);
    }

    @Override
    public java.util.Set<String> storeCredentials() {
        return java.util.Set.of("api-key", "username", "password");
    }

    @Override
    public String sandboxUsername() {
        return "admin@sandbox.test";
    }

    @Override
    public void serveStore(StoreCredentials c, String basePath) {
        configure(Json.object().put("adminEmail", c.username()).put("adminPassword", c.password())
                .put("apiKey", c.apiKey()).put("webhookSecret", c.webhookSecret()));
    }
}
