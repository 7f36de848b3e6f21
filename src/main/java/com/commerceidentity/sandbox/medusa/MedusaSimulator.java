package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OrderedIndex;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.SeedPerson;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Medusa v2 admin API simulator: {@code POST /auth/user/emailpass} issuing HS256 JWTs, secret API keys,
 * {@code /admin/customers} and {@code /admin/users} lists and lookups with Medusa's query rules, soft deletes, and
 * the identity events delivered over the HTTP contract documented in {@code docs/sandbox.md} (Medusa itself has no
 * outbound webhooks).
 */
public final class MedusaSimulator extends Simulator {

    static final String SIGNATURE_HEADER = "x-medusa-signature";
    static final String EVENT_ID_HEADER = "x-medusa-event-id";
    private static final Set<String> CUSTOMER_FILTERS = Set.of("id", "email", "has_account", "first_name", "last_name",
            "company_name");
    private static final Set<String> USER_FILTERS = Set.of("id", "email", "first_name", "last_name");
    private static final List<String> CUSTOMER_SEARCH = List.of("email", "first_name", "last_name", "company_name", "phone");
    private static final List<String> USER_SEARCH = List.of("email", "first_name", "last_name");
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private final Object lock = new Object();
    /** Every time decision (token iat/exp and expiry, record and event timestamps): tests drive it. */
    private final Clock clock;
    /** By id: ULID ids sort in creation order, which is also the order of this map. */
    private final TreeMap<String, ObjectNode> customers = new TreeMap<>();
    private final TreeMap<String, ObjectNode> users = new TreeMap<>();
    /** The rows lists can show (not soft-deleted), in each indexed order: see {@link MedusaQuery#apply}. */
    private final Map<String, OrderedIndex<ObjectNode>> customerOrders = orders();
    private final Map<String, OrderedIndex<ObjectNode>> userOrders = orders();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong eventSequence = new AtomicLong();
    private Instant lastWrite = Instant.EPOCH;

    private volatile String adminEmail = "admin@medusa-test.com";
    private volatile String adminPassword = "supersecret";
    private volatile String jwtSecret;
    private volatile long jwtTtlSeconds = 86400;
    private volatile String apiKey;
    private volatile String webhookUrl;
    private volatile String webhookSecret;

    public MedusaSimulator(SandboxSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public MedusaSimulator(SandboxSettings settings, Clock clock) {
        super("medusa", settings.port("medusa"));
        this.clock = clock;
        Random seeded = new Random(settings.seed() * 17 + 5);
        jwtSecret = settings.platform("medusa", "jwtSecret", "jwt_" + hex(seeded, 16));
        apiKey = settings.platform("medusa", "apiKey", "sk_" + hex(seeded, 32));
        webhookSecret = settings.platform("medusa", "webhookSecret", "mws_" + hex(seeded, 16));
        jwtTtlSeconds = Long.parseLong(settings.platform("medusa", "jwtTtlSeconds", String.valueOf(jwtTtlSeconds)));
        webhookUrl = settings.webhookUrl("medusa");
        for (SeedPerson p : settings.seedGenerator().people("medusa", settings.customers("medusa"))) {
            ObjectNode c = customerFields(p);
            String id = ulid("cus_", p.createdAt(), seeded);
            customers.put(id, complete(id, c, p.createdAt(), p.updatedAt()));
        }
        List<SeedPerson> staff = settings.seedGenerator().people("medusa-staff", settings.staff("medusa"));
        for (SeedPerson p : staff) {
            ObjectNode u = Json.object();
            u.put("email", p.index() == 0 ? adminEmail : p.email() != null ? p.email() : "user" + p.index() + "@example.com");
            u.put("first_name", p.firstName());
            u.put("last_name", p.lastName());
            String id = ulid("user_", p.createdAt(), seeded);
            users.put(id, complete(id, u, p.createdAt(), p.updatedAt()));
        }
        customerOrders.values().forEach(index -> index.addAll(customers.values()));
        userOrders.values().forEach(index -> index.addAll(users.values()));
    }

    private static Map<String, OrderedIndex<ObjectNode>> orders() {
        Map<String, OrderedIndex<ObjectNode>> orders = new LinkedHashMap<>();
        MedusaQuery.INDEXED_ORDERS.forEach(order -> orders.put(order, new OrderedIndex<>(MedusaQuery.order(order))));
        return orders;
    }

    /**
     * Stores a new version of a row (caller holds the lock); lists see it in its new place at once, soft-deleted
     * rows not at all. Stored rows are never changed afterwards, so a list may read them outside the lock.
     */
    private void store(boolean customer, ObjectNode row) {
        ObjectNode old = (customer ? customers : users).put(row.get("id").asText(), row);
        Map<String, OrderedIndex<ObjectNode>> orders = customer ? customerOrders : userOrders;
        if (old != null && old.get("deleted_at").isNull()) {
            orders.values().forEach(index -> index.remove(old));
        }
        if (row.get("deleted_at").isNull()) {
            orders.values().forEach(index -> index.add(row));
        }
    }

    private static ObjectNode customerFields(SeedPerson p) {
        ObjectNode c = Json.object();
        c.put("email", p.email());
        c.put("first_name", p.firstName());
        c.put("last_name", p.lastName());
        c.put("phone", p.phone());
        c.put("company_name", p.company());
        // Guests (created at checkout, no login) stand in for the seed's disabled minority.
        c.put("has_account", p.enabled());
        return c;
    }

    /** The record as the admin API returns it, with every key of AdminCustomer / AdminUser present. */
    private static ObjectNode complete(String id, ObjectNode fields, Instant created, Instant updated) {
        ObjectNode out = Json.object();
        out.put("id", id);
        boolean customer = id.startsWith("cus_");
        if (customer) {
            out.put("has_account", fields.path("has_account").asBoolean(true));
            out.set("email", text(fields, "email"));
            out.set("default_billing_address_id", text(fields, "default_billing_address_id"));
            out.set("default_shipping_address_id", text(fields, "default_shipping_address_id"));
            out.set("company_name", text(fields, "company_name"));
            out.set("first_name", text(fields, "first_name"));
            out.set("last_name", text(fields, "last_name"));
            out.set("addresses", fields.has("addresses") ? fields.get("addresses") : Json.array());
            out.set("groups", fields.has("groups") ? fields.get("groups") : Json.array());
            out.set("phone", text(fields, "phone"));
            out.set("created_by", text(fields, "created_by"));
        } else {
            out.set("email", text(fields, "email"));
            out.set("first_name", text(fields, "first_name"));
            out.set("last_name", text(fields, "last_name"));
            out.set("avatar_url", text(fields, "avatar_url"));
        }
        out.set("metadata", fields.has("metadata") ? fields.get("metadata") : Json.MAPPER.nullNode());
        out.put("created_at", iso(created));
        out.put("updated_at", iso(updated));
        out.set("deleted_at", text(fields, "deleted_at"));
        return out;
    }

    private static JsonNode text(JsonNode fields, String name) {
        JsonNode v = fields.get(name);
        return v == null ? Json.MAPPER.nullNode() : v;
    }

    /** JavaScript's {@code Date.toISOString()}: always milliseconds and Z. */
    static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS))
                .replaceFirst("(\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
    }

    private static String ulid(String prefix, Instant time, Random random) {
        StringBuilder s = new StringBuilder(prefix);
        long ms = time.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            s.append(CROCKFORD.charAt((int) ((ms >>> (5 * i)) & 31)));
        }
        for (int i = 0; i < 16; i++) {
            s.append(CROCKFORD.charAt(random.nextInt(32)));
        }
        return s.toString();
    }

    private static String hex(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- routes

    @Override
    protected void mountRoutes(Router router) {
        router.post("/auth/user/emailpass").handler(this::login);
        router.get("/admin/customers").handler(ctx -> list(ctx, true));
        router.get("/admin/customers/:id").handler(ctx -> one(ctx, true));
        router.get("/admin/users").handler(ctx -> list(ctx, false));
        router.get("/admin/users/:id").handler(ctx -> one(ctx, false));
    }

    private void login(RoutingContext ctx) {
        JsonNode body;
        try {
            body = ctx.body().buffer() == null ? Json.object() : Json.parse(ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            body = Json.object();
        }
        String email = Json.text(body, "email");
        String password = Json.text(body, "password");
        String userId = null;
        synchronized (lock) {
            if (adminEmail.equals(email) && adminPassword.equals(password)) {
                userId = users.values().stream().filter(u -> adminEmail.equals(u.path("email").asText())
                        && u.get("deleted_at").isNull()).map(u -> u.get("id").asText()).findFirst().orElse(null);
            }
        }
        if (userId == null) {
            respondJson(ctx, 401, Json.object().put("type", "unauthorized").put("message", "Invalid email or password"));
            return;
        }
        respondJson(ctx, 200, Json.object().put("token", jwt(userId)));
    }

    String jwt(String userId) {
        long now = clock.instant().getEpochSecond();
        ObjectNode header = Json.object().put("alg", "HS256").put("typ", "JWT");
        ObjectNode payload = Json.object().put("actor_id", userId).put("actor_type", "user")
                .put("auth_identity_id", "authid_" + userId.substring("user_".length()));
        payload.putObject("app_metadata").put("user_id", userId);
        payload.put("iat", now).put("exp", now + jwtTtlSeconds);
        String signingInput = b64url(Json.bytes(header)) + "." + b64url(Json.bytes(payload));
        return signingInput + "." + b64url(Hmac.sha256(jwtSecret.getBytes(StandardCharsets.UTF_8),
                signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Bearer JWT from {@code /auth/user/emailpass} (signature, expiry and actor type checked), or a secret API key
     * as Medusa v2 takes it ({@code Authorization: Basic base64(sk_...:)}), or as the 2.0 spec's {@code api_token}
     * scheme names it ({@code x-medusa-access-token}).
     */
    private boolean authorized(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && validJwt(auth.substring(7).trim())) {
            return true;
        }
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                if (constantTimeEquals(decoded, apiKey + ":")) {
                    return true;
                }
            } catch (IllegalArgumentException notBase64) {
                // falls through to 401 like any other bad credential
            }
        }
        String accessToken = ctx.request().getHeader("x-medusa-access-token");
        if (accessToken != null && constantTimeEquals(accessToken, apiKey)) {
            return true;
        }
        // The spec's 401 is text/plain "Unauthorized".
        ctx.response().setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8").end("Unauthorized");
        return false;
    }

    private boolean validJwt(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        byte[] expected = Hmac.sha256(jwtSecret.getBytes(StandardCharsets.UTF_8),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        try {
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode header = Json.parse(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode payload = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
            return "HS256".equals(header.path("alg").asText())
                    && "user".equals(payload.path("actor_type").asText())
                    && payload.path("exp").asLong(0) > clock.instant().getEpochSecond();
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void list(RoutingContext ctx, boolean customer) {
        if (!authorized(ctx)) {
            return;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> params.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        MedusaQuery query;
        try {
            query = MedusaQuery.parse(params, customer ? CUSTOMER_FILTERS : USER_FILTERS, customer ? CUSTOMER_SEARCH : USER_SEARCH);
        } catch (MedusaQuery.Invalid e) {
            respondJson(ctx, 400, Json.object().put("type", "invalid_data").put("message", e.getMessage()));
            return;
        }
        offload(ctx, () -> {
            if (takeListFault(ctx, FaultType.MOVE_RECORD)) {
                List<ObjectNode> head = query.head().apply(customer ? customerOrders : userOrders, lock).items();
                if (!head.isEmpty()) {
                    records().touch(customer ? RecordControl.CUSTOMER : RecordControl.STAFF, head.get(0).get("id").asText());
                }
            }
            MedusaQuery.Page page = query.apply(customer ? customerOrders : userOrders, lock);
            List<ObjectNode> items = takeListFault(ctx, FaultType.EMPTY_PAGE) ? List.of() : page.items();
            ObjectNode body = Json.object();
            body.putArray(customer ? "customers" : "users").addAll(items);
            body.put("count", page.count()).put("offset", query.offset).put("limit", query.limit);
            respondJson(ctx, 200, body);
        });
    }

    private void one(RoutingContext ctx, boolean customer) {
        if (!authorized(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        ObjectNode found;
        synchronized (lock) {
            found = (customer ? customers : users).get(id);
            found = found == null || !found.get("deleted_at").isNull() ? null : found.deepCopy();
        }
        if (found == null) {
            respondJson(ctx, 404, Json.object().put("type", "not_found")
                    .put("message", (customer ? "Customer" : "User") + " with id: " + id + " was not found"));
            return;
        }
        ObjectNode body = Json.object();
        body.set(customer ? "customer" : "user", found);
        respondJson(ctx, 200, body);
    }

    @Override
    protected void sendServerError(RoutingContext ctx, int status) {
        respondRaw(ctx, status, Json.bytes(Json.object().put("code", "unknown_error").put("type", "unknown_error")
                .put("message", "An unknown error occurred.")));
    }

    // ---------------------------------------------------------------- knobs

    @Override
    public ObjectNode config() {
        ObjectNode c = Json.object();
        c.put("adminEmail", adminEmail);
        c.put("adminPassword", adminPassword);
        c.put("jwtSecret", jwtSecret);
        c.put("jwtTtlSeconds", jwtTtlSeconds);
        c.put("apiKey", apiKey);
        c.put("webhookUrl", webhookUrl);
        c.put("webhookSecret", webhookSecret);
        return c;
    }

    @Override
    public void configure(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            if (!List.of("adminEmail", "adminPassword", "jwtSecret", "jwtTtlSeconds", "apiKey", "webhookUrl", "webhookSecret")
                    .contains(name)) {
                throw new IllegalArgumentException("unknown knob " + name);
            }
        });
        if (patch.has("adminPassword")) {
            adminPassword = patch.get("adminPassword").asText();
        }
        if (patch.has("adminEmail")) {
            adminEmail = patch.get("adminEmail").asText();
        }
        if (patch.has("jwtSecret")) {
            jwtSecret = patch.get("jwtSecret").asText();
        }
        if (patch.has("jwtTtlSeconds")) {
            JsonNode v = patch.get("jwtTtlSeconds");
            if (!v.canConvertToLong() || v.asLong() < 0) {
                throw new IllegalArgumentException("jwtTtlSeconds must be a non-negative integer");
            }
            jwtTtlSeconds = v.asLong();
        }
        if (patch.has("apiKey")) {
            apiKey = patch.get("apiKey").asText();
        }
        if (patch.has("webhookUrl")) {
            webhookUrl = patch.get("webhookUrl").isNull() ? null : patch.get("webhookUrl").asText();
        }
        if (patch.has("webhookSecret")) {
            webhookSecret = patch.get("webhookSecret").asText();
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("login", "POST " + baseUrl() + "/auth/user/emailpass {\"email\":\"" + adminEmail + "\",\"password\":\""
                + adminPassword + "\"}");
        d.put("apiKey", apiKey + "  (Authorization: Basic base64(\"" + apiKey + ":\"))");
        d.put("webhookSecret", webhookSecret);
        d.put("webhook URL", webhookUrl != null ? webhookUrl
                : "(none: -Dsandbox.medusa.webhookUrl=... or POST /_sandbox/config {\"webhookUrl\":...})");
        return d;
    }

    public String apiKey() {
        return apiKey;
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    // ---------------------------------------------------------------- records and events

    @Override
    public RecordControl records() {
        return new Records();
    }

    private final class Records implements RecordControl {
        @Override
        public List<JsonNode> list(String kind) {
            synchronized (lock) {
                return table(kind).values().stream().map(n -> (JsonNode) n.deepCopy()).toList();
            }
        }

        @Override
        public Optional<JsonNode> get(String kind, String id) {
            synchronized (lock) {
                return Optional.ofNullable(table(kind).get(id)).map(ObjectNode::deepCopy);
            }
        }

        @Override
        public JsonNode create(String kind, JsonNode fields) {
            ObjectNode created;
            synchronized (lock) {
                Instant now = now();
                boolean staff = staff(kind);
                if (staff && !fields.hasNonNull("email")) {
                    throw new IllegalArgumentException("email is required for a Medusa user");
                }
                String id = ulid(staff ? "user_" : "cus_", now, random);
                created = complete(id, (ObjectNode) fields, now, now);
                store(!staff, created);
                created = created.deepCopy();
            }
            emit(entity(kind) + ".created", created.get("id").asText());
            return created;
        }

        @Override
        public Optional<JsonNode> update(String kind, String id, JsonNode fields) {
            ObjectNode updated;
            synchronized (lock) {
                ObjectNode current = table(kind).get(id);
                if (current == null || !current.get("deleted_at").isNull()) {
                    return Optional.empty();
                }
                ObjectNode merged = current.deepCopy();
                merged.setAll((ObjectNode) fields);
                updated = complete(id, merged, Instant.parse(current.get("created_at").asText()), now());
                store(!staff(kind), updated);
                updated = updated.deepCopy();
            }
            emit(entity(kind) + ".updated", id);
            return Optional.of(updated);
        }

        /** Soft delete, as Medusa's delete workflows do: the row stays with {@code deleted_at} set. */
        @Override
        public boolean delete(String kind, String id) {
            synchronized (lock) {
                ObjectNode current = table(kind).get(id);
                if (current == null || !current.get("deleted_at").isNull()) {
                    return false;
                }
                // A new version rather than a change in place: list requests read stored rows outside the lock.
                ObjectNode deleted = current.deepCopy();
                deleted.put("deleted_at", iso(now()));
                store(!staff(kind), deleted);
            }
            emit(entity(kind) + ".deleted", id);
            return true;
        }

        @Override
        public Optional<JsonNode> touch(String kind, String id) {
            return update(kind, id, Json.object());
        }

        @Override
        public void triggerWebhook(String topic, String id) {
            String kind = id.startsWith("user_") ? STAFF : CUSTOMER;
            if (!List.of("created", "updated", "deleted").stream().map(a -> entity(kind) + "." + a).toList().contains(topic)) {
                throw new IllegalArgumentException("topic must be " + entity(kind) + ".created|updated|deleted for " + id);
            }
            synchronized (lock) {
                if (!table(kind).containsKey(id)) {
                    throw new NoSuchElementException("no record " + id);
                }
            }
            emit(topic, id);
        }

        private TreeMap<String, ObjectNode> table(String kind) {
            return staff(kind) ? users : customers;
        }

        private boolean staff(String kind) {
            if (!kind.equals(CUSTOMER) && !kind.equals(STAFF)) {
                throw new IllegalArgumentException("kind must be customer or staff");
            }
            return kind.equals(STAFF);
        }

        private String entity(String kind) {
            return staff(kind) ? "user" : "customer";
        }
    }

    /** Millisecond precision like JavaScript dates, strictly after every earlier write so versions move. */
    private Instant now() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastWrite = now.isAfter(lastWrite) ? now : lastWrite.plusMillis(1);
        return lastWrite;
    }

    /**
     * Delivers one event over the sandbox's HTTP contract: the body carries the event name and Medusa's own payload
     * (an array of {@code {id}}), signed with {@code x-medusa-signature: sha256=<hex HMAC-SHA256(secret, body)>}.
     */
    private void emit(String event, String id) {
        String url = webhookUrl;
        if (url == null) {
            return;
        }
        ObjectNode body = Json.object().put("event", event);
        body.putArray("data").addObject().put("id", id);
        body.put("occurred_at", iso(clock.instant()));
        byte[] bytes = Json.bytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(EVENT_ID_HEADER, "evt_" + String.format("%012d", eventSequence.incrementAndGet()) + "_" + hex(random, 4));
        headers.put(SIGNATURE_HEADER, "sha256=" + HexFormat.of().formatHex(
                Hmac.sha256(webhookSecret.getBytes(StandardCharsets.UTF_8), bytes)));
        webhooks().send(new WebhookDispatcher.Delivery(url, headers, bytes));
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
