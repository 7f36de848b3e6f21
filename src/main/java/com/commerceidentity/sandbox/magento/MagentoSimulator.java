package com.commerceidentity.sandbox.magento;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.OrderedIndex;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.SeedPerson;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Magento 2.4.8 admin REST simulator: admin tokens, store-code prefixes, {@code /V1/customers/search} with
 * Magento's searchCriteria semantics, {@code /V1/customers/{id}}, an extension-style {@code /V1/users}, a slow
 * store (latency and a concurrency cap, no rate limit) and Adobe Commerce webhooks signed with RSA-SHA256.
 * The knobs, shapes and deviations are listed in {@code docs/sandbox.md}.
 */
public final class MagentoSimulator extends Simulator {

    static final String SAVE_EVENT = "observer.customer_save_after_data_object";
    static final String DELETE_EVENT = "observer.customer_delete_commit_after";
    static final String SIGNATURE_HEADER = "x-adobe-commerce-webhook-signature";
    private static final DateTimeFormatter MAGENTO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String CUSTOMER_ACL = "Magento_Customer::customer";
    private static final String USERS_ACL = "Magento_User::acl_users";

    private final Object lock = new Object();
    /** Every time decision (admin token expiry, record timestamps): tests drive it. */
    private final Clock clock;
    private final TreeMap<Long, ObjectNode> customers = new TreeMap<>();
    private final TreeMap<Long, ObjectNode> admins = new TreeMap<>();
    /** Customers of each scope (0 = all websites, else one website id) in every indexed order: see SearchCriteria#apply. */
    private final Map<Integer, Map<String, OrderedIndex<ObjectNode>>> scopes = new ConcurrentHashMap<>();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ArrayDeque<RoutingContext> waiting = new ArrayDeque<>();
    private long nextCustomerId;
    private long nextAdminId;
    private long nextAddressId = 1;
    private Instant lastWrite = Instant.EPOCH;
    private int inFlight;
    private int peakInFlight;
    private volatile KeyPair webhookKeys = newKeyPair();

    private volatile String adminUsername = "admin";
    private volatile String adminPassword = "sandbox123";
    private volatile long adminTokenLifetimeSeconds = 4 * 3600;
    private volatile long latencyMillis;
    private volatile int maxConcurrent;
    private volatile int maxPageSize = 300;
    private volatile boolean adminUsersEndpoint = true;
    private volatile Map<String, Integer> stores = Map.of("default", 1, "de", 2);
    private volatile String webhookUrl;

    public MagentoSimulator(SandboxSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public MagentoSimulator(SandboxSettings settings, Clock clock) {
        super("magento", settings.port("magento"));
        this.clock = clock;
        adminTokenLifetimeSeconds = Long.parseLong(settings.platform("magento", "adminTokenLifetimeSeconds",
                String.valueOf(adminTokenLifetimeSeconds)));
        latencyMillis = Long.parseLong(settings.platform("magento", "latencyMillis", "0"));
        maxConcurrent = Integer.parseInt(settings.platform("magento", "maxConcurrent", "0"));
        webhookUrl = settings.webhookUrl("magento");
        List<SeedPerson> people = settings.seedGenerator().people("magento", settings.customers("magento"));
        for (SeedPerson p : people) {
            customers.put(++nextCustomerId, seedCustomer(nextCustomerId, p));
        }
        Map<Integer, List<ObjectNode>> byWebsite = new HashMap<>();
        for (ObjectNode c : customers.values()) {
            byWebsite.computeIfAbsent(c.path("website_id").asInt(), w -> new ArrayList<>()).add(c);
        }
        scope(0).values().forEach(index -> index.addAll(customers.values()));
        byWebsite.forEach((website, rows) -> scope(website).values().forEach(index -> index.addAll(rows)));
        List<SeedPerson> staff = settings.seedGenerator().people("magento-admin", settings.staff("magento"));
        for (SeedPerson p : staff) {
            admins.put(++nextAdminId, seedAdmin(nextAdminId, p));
        }
    }

    /** The customer indexes of one scope, read and changed under the lock; a website without customers has empty ones. */
    private Map<String, OrderedIndex<ObjectNode>> scope(int website) {
        return scopes.computeIfAbsent(website, w -> {
            Map<String, OrderedIndex<ObjectNode>> orders = new LinkedHashMap<>();
            for (String field : SearchCriteria.INDEXED_FIELDS) {
                for (boolean ascending : List.of(true, false)) {
                    orders.put(SearchCriteria.orderKey(field, ascending), new OrderedIndex<>(SearchCriteria.order(field, ascending)));
                }
            }
            return orders;
        });
    }

    /** Stores, replaces (null {@code row}: removes) one customer, keeping every scope's indexes in step. */
    private void storeCustomer(long id, ObjectNode row) {
        ObjectNode old = row == null ? customers.remove(id) : customers.put(id, row);
        if (old != null) {
            scope(0).values().forEach(index -> index.remove(old));
            scope(old.path("website_id").asInt()).values().forEach(index -> index.remove(old));
        }
        if (row != null) {
            scope(0).values().forEach(index -> index.add(row));
            scope(row.path("website_id").asInt()).values().forEach(index -> index.add(row));
        }
    }

    // ---------------------------------------------------------------- seed data

    private ObjectNode seedCustomer(long id, SeedPerson p) {
        ObjectNode c = Json.object();
        c.put("email", p.email() != null ? p.email() : "customer" + id + "@example.com");
        c.put("firstname", p.firstName() != null ? p.firstName() : "Customer");
        c.put("lastname", p.lastName());
        // A quarter of the customers belong to the second website, reachable only through its store code.
        c.put("website_id", p.index() % 4 == 3 ? 2 : 1);
        if (!p.enabled()) {
            c.put("confirmation", HexFormat.of().formatHex(sha(p.index() + ":confirm")).substring(0, 32));
        }
        if (p.phone() != null) {
            ObjectNode a = c.putArray("addresses").addObject();
            a.put("firstname", c.get("firstname").asText()).put("lastname", p.lastName());
            a.putArray("street").add((100 + p.index()) + " Main Street");
            a.put("city", "Springfield").put("postcode", "49628").put("country_id", "US").put("region_id", 33);
            a.put("telephone", p.phone());
            a.put("default_billing", true).put("default_shipping", true);
            if (p.company() != null) {
                a.put("company", p.company());
            }
        }
        return complete(id, c, p.createdAt(), p.updatedAt());
    }

    private ObjectNode seedAdmin(long id, SeedPerson p) {
        ObjectNode u = Json.object();
        u.put("user_id", id);
        String first = p.firstName() != null ? p.firstName() : "Admin";
        u.put("firstname", first);
        u.put("lastname", p.lastName());
        u.put("email", p.email() != null ? p.email() : "admin" + id + "@example.com");
        u.put("username", id == 1 ? adminUsername : (first.charAt(0) + p.lastName()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z]", "") + id);
        u.put("is_active", id == 1 || p.enabled() ? 1 : 0);
        u.put("created", MAGENTO_TIME.format(p.createdAt()));
        u.put("modified", MAGENTO_TIME.format(p.updatedAt()));
        u.putNull("logdate");
        return u;
    }

    /** Fills what Magento computes on save: ids, scope fields, default address ids, timestamps. */
    private ObjectNode complete(long id, ObjectNode c, Instant created, Instant updated) {
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("group_id", c.path("group_id").asInt(1));
        int website = c.path("website_id").asInt(1);
        if (c.has("addresses")) {
            for (JsonNode a : c.get("addresses")) {
                ObjectNode address = (ObjectNode) a;
                if (!address.has("id")) {
                    address.put("id", nextAddressId++);
                }
                address.put("customer_id", id);
                if (address.path("default_billing").asBoolean()) {
                    out.put("default_billing", address.get("id").asText());
                }
                if (address.path("default_shipping").asBoolean()) {
                    out.put("default_shipping", address.get("id").asText());
                }
            }
        }
        if (c.hasNonNull("confirmation")) {
            out.put("confirmation", c.get("confirmation").asText());
        }
        out.put("created_at", MAGENTO_TIME.format(created));
        out.put("updated_at", MAGENTO_TIME.format(updated));
        out.put("created_in", website == 1 ? "Default Store View" : "Deutsch");
        out.put("email", c.path("email").asText());
        out.put("firstname", c.path("firstname").asText());
        out.put("lastname", c.path("lastname").asText());
        out.put("store_id", website);
        out.put("website_id", website);
        out.set("addresses", c.has("addresses") ? c.get("addresses") : Json.array());
        out.put("disable_auto_group_change", 0);
        out.putObject("extension_attributes").put("is_subscribed", false);
        return out;
    }

    // ---------------------------------------------------------------- routes

    @Override
    protected void mountRoutes(Router router) {
        router.route("/rest/*").handler(this::gate);
        for (String prefix : List.of("/rest/V1", "/rest/:store/V1")) {
            router.post(prefix + "/integration/admin/token").handler(this::issueToken);
            router.get(prefix + "/customers/search").handler(this::searchCustomers);
            router.get(prefix + "/customers/:id").handler(this::getCustomer);
            router.get(prefix + "/users").handler(this::listAdmins);
        }
    }

    /**
     * Models a slow store: at most {@code maxConcurrent} requests are served at once, the rest queue in arrival
     * order (nothing is refused, Magento has no application rate limit), and each admitted request takes
     * {@code latencyMillis} before it is handled.
     */
    private void gate(RoutingContext ctx) {
        synchronized (lock) {
            if (maxConcurrent > 0 && inFlight >= maxConcurrent) {
                waiting.add(ctx);
                return;
            }
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
        }
        admit(ctx);
    }

    private void admit(RoutingContext ctx) {
        ctx.addEndHandler(done -> release());
        long delay = latencyMillis;
        if (delay > 0) {
            vertx().setTimer(delay, id -> ctx.next());
        } else {
            ctx.next();
        }
    }

    private void release() {
        RoutingContext next;
        synchronized (lock) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            RoutingContext admitted = next;
            vertx().runOnContext(v -> admit(admitted));
        }
    }

    /** Store code of the request: none means {@code default}; null when the code is unknown. */
    private Integer website(RoutingContext ctx) {
        String code = ctx.pathParam("store");
        if (code == null) {
            code = "default";
        }
        if (code.equals("all")) {
            return 0;
        }
        return stores.get(code);
    }

    private void issueToken(RoutingContext ctx) {
        if (website(ctx) == null) {
            notFound(ctx);
            return;
        }
        JsonNode body;
        try {
            body = Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            respondJson(ctx, 400, Json.object().put("message", "Decoding error: Syntax error"));
            return;
        }
        for (String field : List.of("username", "password")) {
            if (body == null || !body.hasNonNull(field) || body.get(field).asText().isEmpty()) {
                respondJson(ctx, 400, magentoError("\"%fieldName\" is required. Enter and try again.", "fieldName", field));
                return;
            }
        }
        boolean known;
        synchronized (lock) {
            known = body.get("username").asText().equals(adminUsername)
                    && body.get("password").asText().equals(adminPassword);
        }
        if (!known) {
            respondJson(ctx, 401, Json.object().put("message", "The account sign-in was incorrect or your account is disabled "
                    + "temporarily. Please wait and try again later."));
            return;
        }
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        Instant now = clock.instant();
        // Magento's cron drops expired tokens hourly; dropping them here keeps the map as small.
        tokens.values().removeIf(expires -> !now.isBefore(expires));
        tokens.put(token, now.plusMillis(adminTokenLifetimeSeconds * 1000));
        respondJson(ctx, 200, TextNode.valueOf(token));
    }

    /** False (and a 401 sent) unless the request carries a live admin token. */
    private boolean authorized(RoutingContext ctx, String resource) {
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Instant expires = token == null ? null : tokens.get(token);
        if (expires != null && clock.instant().isBefore(expires)) {
            return true;
        }
        if (expires != null) {
            tokens.remove(token);
        }
        respondJson(ctx, 401, magentoError("The consumer isn't authorized to access %resources.", "resources", resource));
        return false;
    }

    private void searchCustomers(RoutingContext ctx) {
        Integer website = website(ctx);
        if (website == null) {
            notFound(ctx);
            return;
        }
        if (!authorized(ctx, CUSTOMER_ACL)) {
            return;
        }
        SearchCriteria criteria = criteria(ctx, true);
        if (criteria == null) {
            return;
        }
        offload(ctx, () -> {
            if (takeListFault(ctx, FaultType.MOVE_RECORD)) {
                JsonNode first = criteria.firstRow().apply(scope(website), lock).path("items").path(0);
                if (first.isObject()) {
                    records().touch(RecordControl.CUSTOMER, first.get("id").asText());
                }
            }
            ObjectNode result = criteria.apply(scope(website), lock);
            if (takeListFault(ctx, FaultType.EMPTY_PAGE)) {
                result.putArray("items");
            }
            respondJson(ctx, 200, result);
        });
    }

    private void getCustomer(RoutingContext ctx) {
        Integer website = website(ctx);
        if (website == null) {
            notFound(ctx);
            return;
        }
        if (!authorized(ctx, CUSTOMER_ACL)) {
            return;
        }
        String idText = ctx.pathParam("id");
        ObjectNode found = null;
        if (idText.matches("\\d{1,18}")) {
            synchronized (lock) {
                ObjectNode c = customers.get(Long.parseLong(idText));
                if (c != null && (website == 0 || c.path("website_id").asInt() == website)) {
                    found = c.deepCopy();
                }
            }
        }
        if (found == null) {
            ObjectNode body = Json.object().put("message", "No such entity with %fieldName = %fieldValue");
            body.putObject("parameters").put("fieldName", "customerId").put("fieldValue", idText);
            respondJson(ctx, 404, body);
            return;
        }
        respondJson(ctx, 200, found);
    }

    private void listAdmins(RoutingContext ctx) {
        if (!adminUsersEndpoint || website(ctx) == null) {
            notFound(ctx);
            return;
        }
        if (!authorized(ctx, USERS_ACL)) {
            return;
        }
        SearchCriteria criteria = criteria(ctx, false);
        if (criteria == null) {
            return;
        }
        List<ObjectNode> rows;
        synchronized (lock) {
            rows = admins.values().stream().map(ObjectNode::deepCopy).toList();
        }
        respondJson(ctx, 200, criteria.apply(rows));
    }

    /** The request's searchCriteria, or null once a 400 with Magento's message has been sent. */
    private SearchCriteria criteria(RoutingContext ctx, boolean required) {
        try {
            return SearchCriteria.parse(params(ctx), required, maxPageSize);
        } catch (SearchCriteria.Invalid e) {
            respondJson(ctx, 400, e.body);
            return null;
        }
    }

    private static Map<String, List<String>> params(RoutingContext ctx) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> params.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return params;
    }

    private static ObjectNode magentoError(String template, String parameter, String value) {
        ObjectNode body = Json.object().put("message", template);
        body.putObject("parameters").put(parameter, value);
        return body;
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

    // ---------------------------------------------------------------- knobs

    @Override
    public ObjectNode config() {
        ObjectNode c = Json.object();
        c.put("adminUsername", adminUsername);
        c.put("adminPassword", adminPassword);
        c.put("adminTokenLifetimeSeconds", adminTokenLifetimeSeconds);
        c.put("latencyMillis", latencyMillis);
        c.put("maxConcurrent", maxConcurrent);
        c.put("maxPageSize", maxPageSize);
        c.put("adminUsersEndpoint", adminUsersEndpoint);
        c.set("stores", Json.MAPPER.valueToTree(stores));
        c.put("webhookUrl", webhookUrl);
        synchronized (lock) {
            c.put("inFlight", inFlight);
            c.put("peakInFlight", peakInFlight);
            c.put("queued", waiting.size());
        }
        return c;
    }

    @Override
    public void configure(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            if (!List.of("adminUsername", "adminPassword", "adminTokenLifetimeSeconds", "latencyMillis", "maxConcurrent",
                    "maxPageSize", "adminUsersEndpoint", "stores", "webhookUrl", "regenerateKeyPair", "resetPeak").contains(name)) {
                throw new IllegalArgumentException("unknown knob " + name);
            }
        });
        if (patch.has("adminUsername")) {
            adminUsername = patch.get("adminUsername").asText();
        }
        if (patch.has("adminPassword")) {
            adminPassword = patch.get("adminPassword").asText();
        }
        if (patch.has("adminTokenLifetimeSeconds")) {
            adminTokenLifetimeSeconds = nonNegative(patch, "adminTokenLifetimeSeconds");
        }
        if (patch.has("latencyMillis")) {
            latencyMillis = nonNegative(patch, "latencyMillis");
        }
        if (patch.has("maxConcurrent")) {
            maxConcurrent = (int) nonNegative(patch, "maxConcurrent");
        }
        if (patch.has("maxPageSize")) {
            maxPageSize = (int) nonNegative(patch, "maxPageSize");
        }
        if (patch.has("adminUsersEndpoint")) {
            adminUsersEndpoint = patch.get("adminUsersEndpoint").asBoolean();
        }
        if (patch.has("stores")) {
            Map<String, Integer> next = new LinkedHashMap<>();
            patch.get("stores").fields().forEachRemaining(e -> next.put(e.getKey(), e.getValue().asInt()));
            stores = Map.copyOf(next);
        }
        if (patch.has("webhookUrl")) {
            webhookUrl = patch.get("webhookUrl").isNull() ? null : patch.get("webhookUrl").asText();
        }
        if (patch.path("regenerateKeyPair").asBoolean()) {
            webhookKeys = newKeyPair();
        }
        if (patch.path("resetPeak").asBoolean()) {
            synchronized (lock) {
                peakInFlight = inFlight;
            }
        }
    }

    private static long nonNegative(JsonNode patch, String name) {
        JsonNode v = patch.get(name);
        if (!v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative integer");
        }
        return v.asLong();
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("rest", baseUrl() + "/rest/default/V1");
        d.put("username", adminUsername);
        d.put("password", adminPassword);
        d.put("token", "POST " + baseUrl() + "/rest/V1/integration/admin/token");
        d.put("webhookKey", webhookPublicKeyPem());
        d.put("webhook URL", webhookUrl != null ? webhookUrl
                : "(none: -Dsandbox.magento.webhookUrl=... or POST /_sandbox/config {\"webhookUrl\":...})");
        return d;
    }

    /** The public half of the webhook signing key, as Magento's admin shows it for verifiers. */
    public String webhookPublicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(webhookKeys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----";
    }

    public java.security.PublicKey webhookPublicKey() {
        return webhookKeys.getPublic();
    }

    // ---------------------------------------------------------------- records and webhooks

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
                return Optional.ofNullable(table(kind).get(parseId(id))).map(ObjectNode::deepCopy);
            }
        }

        @Override
        public JsonNode create(String kind, JsonNode fields) {
            ObjectNode created;
            synchronized (lock) {
                Instant now = now();
                if (staff(kind)) {
                    long id = ++nextAdminId;
                    created = ((ObjectNode) fields.deepCopy()).put("user_id", id);
                    created.put("is_active", fields.path("is_active").asInt(1));
                    created.put("created", MAGENTO_TIME.format(now)).put("modified", MAGENTO_TIME.format(now));
                    admins.put(id, created);
                } else {
                    requireEmail(fields);
                    long id = ++nextCustomerId;
                    created = complete(id, (ObjectNode) fields.deepCopy(), now, now);
                    storeCustomer(id, created);
                }
                created = created.deepCopy();
            }
            if (!staff(kind)) {
                deliver(SAVE_EVENT, created, null);
            }
            return created;
        }

        @Override
        public Optional<JsonNode> update(String kind, String id, JsonNode fields) {
            ObjectNode before;
            ObjectNode after;
            synchronized (lock) {
                ObjectNode current = table(kind).get(parseId(id));
                if (current == null) {
                    return Optional.empty();
                }
                before = current.deepCopy();
                ObjectNode merged = current.deepCopy();
                merged.setAll((ObjectNode) fields);
                Instant now = now();
                if (staff(kind)) {
                    after = merged.put("user_id", parseId(id)).put("modified", MAGENTO_TIME.format(now));
                } else {
                    after = complete(parseId(id), merged, Instant.from(MAGENTO_TIME.parse(before.get("created_at").asText())), now);
                }
                if (staff(kind)) {
                    admins.put(parseId(id), after);
                } else {
                    storeCustomer(parseId(id), after);
                }
                after = after.deepCopy();
            }
            if (!staff(kind)) {
                deliver(SAVE_EVENT, after, before);
            }
            return Optional.of(after);
        }

        @Override
        public boolean delete(String kind, String id) {
            ObjectNode removed;
            synchronized (lock) {
                removed = table(kind).get(parseId(id));
                if (removed != null && staff(kind)) {
                    admins.remove(parseId(id));
                } else if (removed != null) {
                    storeCustomer(parseId(id), null);
                }
            }
            if (removed != null && !staff(kind)) {
                deliver(DELETE_EVENT, removed, null);
            }
            return removed != null;
        }

        @Override
        public Optional<JsonNode> touch(String kind, String id) {
            return update(kind, id, Json.object());
        }

        @Override
        public void triggerWebhook(String topic, String id) {
            if (!topic.equals(SAVE_EVENT) && !topic.equals(DELETE_EVENT)) {
                throw new IllegalArgumentException("topic must be " + SAVE_EVENT + " or " + DELETE_EVENT);
            }
            ObjectNode customer;
            synchronized (lock) {
                customer = customers.get(parseId(id));
                customer = customer == null ? null : customer.deepCopy();
            }
            if (customer == null) {
                throw new java.util.NoSuchElementException("no customer " + id);
            }
            deliver(topic, customer, null);
        }

        private TreeMap<Long, ObjectNode> table(String kind) {
            return staff(kind) ? admins : customers;
        }

        private boolean staff(String kind) {
            if (!kind.equals(CUSTOMER) && !kind.equals(STAFF)) {
                throw new IllegalArgumentException("kind must be customer or staff");
            }
            return kind.equals(STAFF);
        }

        private long parseId(String id) {
            try {
                return Long.parseLong(id);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private void requireEmail(JsonNode fields) {
            if (!fields.hasNonNull("email") || fields.get("email").asText().isBlank()) {
                throw new IllegalArgumentException("email is required for a Magento customer");
            }
        }
    }

    /** Second precision like Magento's columns, and strictly after every earlier write so versions move. */
    private Instant now() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        lastWrite = now.isAfter(lastWrite) ? now : lastWrite.plusSeconds(1);
        return lastWrite;
    }

    /**
     * Adobe Commerce webhook: {@code {"eventName": ..., "data": {...}}}, signed as the Adobe docs' samples verify
     * it: base64 of an RSA-SHA256 signature, by the private key, over the base64 of the raw body.
     */
    private void deliver(String event, ObjectNode customer, ObjectNode previous) {
        String url = webhookUrl;
        if (url == null) {
            return;
        }
        ObjectNode body = Json.object().put("eventName", event);
        ObjectNode data = body.putObject("data");
        if (event.equals(SAVE_EVENT)) {
            data.set("customer_data_object", customer);
            data.set("orig_customer_data_object", previous);
        } else {
            data.set("data_object", customer);
        }
        byte[] bytes = Json.bytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(SIGNATURE_HEADER, sign(bytes));
        webhooks().send(new WebhookDispatcher.Delivery(url, headers, bytes));
    }

    String sign(byte[] body) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(webhookKeys.getPrivate());
            signer.update(Base64.getEncoder().encode(body));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sandbox store signs in as an admin, as the sandbox's default configuration expects. */
    @Override
    public java.util.Set<String> storeCredentials() {
        return java.util.Set.of("username", "password");
    }

    @Override
    public void serveStore(StoreCredentials c, String basePath) {
        configure(Json.object().put("adminUsername", c.username()).put("adminPassword", c.password()));
    }
}
