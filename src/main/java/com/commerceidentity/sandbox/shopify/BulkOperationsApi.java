package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk query side of {@code POST /admin/api/{version}/graphql.json}: {@code bulkOperationRunQuery},
 * {@code currentBulkOperation}, {@code node(id:)} / {@code bulkOperation(id:)}, {@code bulkOperationCancel} and
 * {@code customersCount}, as shopify.dev documents them for API versions before 2026-01:
 * <ul>
 *   <li>one bulk query operation at a time per shop: a second gets the userError {@code OPERATION_IN_PROGRESS};</li>
 *   <li>statuses CREATED → RUNNING → COMPLETED (or FAILED with an {@code errorCode}, CANCELING → CANCELED);
 *       {@code objectCount} counts every object processed so far, {@code rootObjectCount} the root ones;</li>
 *   <li>the result is a JSONL file at a signed {@code url} (no access token needed, nor sent by a careful
 *       client): one object per line, objects of a nested connection on lines of their own with
 *       {@code __parentId} naming their parent;</li>
 *   <li>{@code bulk_operations/finish} is sent to the shop's subscriptions for that topic (else to
 *       {@code webhookUrl}) when an operation completes, fails or is canceled;</li>
 *   <li>costs come from the GraphQL points bucket: the mutations 10 points, the queries 1.</li>
 * </ul>
 * The operation reads the store as it was when it was created (a snapshot). Only the {@code customers}
 * connection is served, with {@code addressesV2} as its nested connection; the sandbox gives each customer one
 * address of its own invention so that nested lines can be seen.
 * <p>
 * Knobs: {@code bulkObjectsPerSecond} (5000, invented: Shopify publishes no rate), {@code bulkHold} (operations
 * stay RUNNING until it is false again), {@code bulkFailWith} (the next operation ends FAILED with this
 * {@code errorCode}), {@code foreignBulkOperation} (true: another process of the same app starts an operation
 * that runs until this is false again, then is canceled).
 */
final class BulkOperationsApi {

    static final Set<String> KNOBS = Set.of("bulkObjectsPerSecond", "bulkHold", "bulkFailWith", "foreignBulkOperation");
    private static final Logger LOG = LoggerFactory.getLogger(BulkOperationsApi.class);
    static final int MUTATION_COST = 10;
    static final int QUERY_COST = 1;
    static final String RESULT_PATH = "/_bulk-results/";
    private static final Pattern OPERATION_ID = Pattern.compile("gid://shopify/BulkOperation/(\\d+)");
    private static final Pattern ROOT_CONNECTION = Pattern.compile("^\\s*(?:query\\b[^{]*)?\\{\\s*(\\w+)");
    /** The root connection's arguments: {@code customers(query: "...")} runs over the customers it matches. */
    private static final Pattern ROOT_ARGUMENTS = Pattern.compile("^\\s*(?:query\\b[^{]*)?\\{\\s*\\w+\\s*\\(([^)]*)\\)");

    private final ShopifySimulator simulator;
    private final byte[] signingKey = new byte[32];
    private final AtomicLong ids = new AtomicLong(4_304_568_828_000L);
    private final Map<Long, Operation> operations = new LinkedHashMap<>();
    private volatile double objectsPerSecond;
    private volatile boolean hold;
    private volatile String failWith;
    private Operation foreign;
    private Operation current;
    /** Result downloads that carried the shop's access token: a signed URL needs none, and should get none. */
    private final AtomicLong downloadsWithToken = new AtomicLong();
    private final AtomicLong startsRefused = new AtomicLong();

    BulkOperationsApi(ShopifySimulator simulator, SandboxSettings settings) {
        this.simulator = simulator;
        new SecureRandom().nextBytes(signingKey);
        objectsPerSecond = Double.parseDouble(settings.platform("shopify", "bulkObjectsPerSecond", "5000"));
        hold = Boolean.parseBoolean(settings.platform("shopify", "bulkHold", "false"));
        failWith = settings.platform("shopify", "bulkFailWith", null);
    }

    /** One bulk operation; its progress is computed from the time it has been running. */
    private static final class Operation {
        final long id;
        final String query;
        final Instant createdAt;
        /** The JSONL file, once rendered (the operation completes no sooner). */
        volatile byte[] result;
        final long objects;
        final long rootObjects;
        final String failWith;
        final boolean foreign;
        String status = "CREATED";
        Instant runningSince;
        Instant completedAt;
        String errorCode;
        boolean canceling;

        Operation(long id, String query, Instant createdAt, byte[] result, long objects, long rootObjects,
                  String failWith, boolean foreign) {
            this.id = id;
            this.query = query;
            this.createdAt = createdAt;
            this.result = result;
            this.objects = objects;
            this.rootObjects = rootObjects;
            this.failWith = failWith;
            this.foreign = foreign;
        }

        String gid() {
            return "gid://shopify/BulkOperation/" + id;
        }

        boolean finished() {
            return Set.of("COMPLETED", "FAILED", "CANCELED", "EXPIRED").contains(status);
        }
    }

    void mount(Router router) {
        router.get(RESULT_PATH + ":file").handler(this::download);
    }

    /** Moves operations on (and sends {@code bulk_operations/finish}) every 20 ms. */
    void start(Vertx vertx) {
        vertx.setPeriodic(20, id -> advanceAll());
    }

    /** True when the query is one this class answers. */
    static boolean handles(String query) {
        return query.contains("bulkOperation") || query.contains("currentBulkOperation")
                || query.contains("customersCount") || query.matches("(?s).*\\bnode\\s*\\(.*");
    }

    void handle(RoutingContext ctx, String query, JsonNode variables) {
        if (query.contains("bulkOperationRunQuery")) {
            runQuery(ctx, argument(query, "query", variables));
        } else if (query.contains("bulkOperationCancel")) {
            cancel(ctx, argument(query, "id", variables));
        } else if (query.contains("currentBulkOperation")) {
            answerOperation(ctx, "currentBulkOperation", current());
        } else if (query.contains("customersCount")) {
            customersCount(ctx, query, variables);
        } else {
            String id = argument(query, "id", variables);
            Matcher m = OPERATION_ID.matcher(id == null ? "" : id);
            Operation op = m.matches() ? byId(Long.parseLong(m.group(1))) : null;
            answerOperation(ctx, query.contains("bulkOperation(") ? "bulkOperation" : "node", op);
        }
    }

    private void runQuery(RoutingContext ctx, String bulkQuery) {
        if (!pay(ctx, MUTATION_COST)) {
            return;
        }
        if (bulkQuery == null || !(bulkQuery.contains("edges") || bulkQuery.contains("nodes"))) {
            userError(ctx, "INVALID", List.of("query"), "Bulk queries must contain at least one connection.");
            return;
        }
        Matcher root = ROOT_CONNECTION.matcher(bulkQuery);
        if (!root.find() || !root.group(1).equals("customers")) {
            userError(ctx, "INVALID", List.of("query"), "The sandbox runs bulk queries over the customers"
                    + " connection only, not '" + (root.find(0) ? root.group(1) : "") + "'.");
            return;
        }
        synchronized (this) {
            Operation running = active();
            if (running != null) {
                refuseStart(ctx, running);
                return;
            }
        }
        // Shopify answers with the operation CREATED at once, whatever the shop's size: the store is copied as it
        // is now (off the event loop) and its file is rendered afterwards, while the operation runs.
        String failure = failWith;
        failWith = null;
        boolean addresses = bulkQuery.contains("addressesV2");
        Matcher rootArgs = ROOT_ARGUMENTS.matcher(bulkQuery);
        CustomerSearch search = new CustomerSearch(rootArgs.find()
                ? argument(rootArgs.group(1), "query", Json.object()) : null);
        ctx.vertx().executeBlocking(() -> simulator.store.snapshot(search::matches), false)
                .onSuccess(customers -> {
            Operation op;
            synchronized (this) {
                Operation running = active();
                if (running != null) {
                    refuseStart(ctx, running);
                    return;
                }
                String error = simulator.config.granted("read_customers") ? failure : "ACCESS_DENIED";
                op = new Operation(ids.incrementAndGet(), bulkQuery, Instant.now(), null,
                        (long) customers.size() * (addresses ? 2 : 1), customers.size(), error, false);
                operations.put(op.id, op);
                current = op;
            }
            ObjectNode body = Json.object();
            ObjectNode payload = body.putObject("data").putObject("bulkOperationRunQuery");
            payload.set("bulkOperation", json(op));
            payload.putArray("userErrors");
            body.putObject("extensions").set("cost", cost(MUTATION_COST));
            simulator.json(ctx, 200, body);
            ctx.vertx().executeBlocking(() -> render(customers, bulkQuery, addresses), false)
                    .onSuccess(bytes -> op.result = bytes)
                    .onFailure(e -> renderFailed(op, e));
        }).onFailure(ctx::fail);
    }

    private synchronized void renderFailed(Operation op, Throwable e) {
        LOG.warn("bulk operation {}: rendering its result failed: {}", op.gid(), e.toString());
        if (!op.finished()) {
            op.errorCode = "INTERNAL_SERVER_ERROR";
            finish(op, "FAILED", Instant.now());
        }
    }

    private void cancel(RoutingContext ctx, String id) {
        if (!pay(ctx, MUTATION_COST)) {
            return;
        }
        Matcher m = OPERATION_ID.matcher(id == null ? "" : id);
        Operation op = m.matches() ? byId(Long.parseLong(m.group(1))) : null;
        ObjectNode body = Json.object();
        ObjectNode payload = body.putObject("data").putObject("bulkOperationCancel");
        synchronized (this) {
            if (op == null) {
                payload.putNull("bulkOperation");
                payload.putArray("userErrors").addObject().put("message", "Bulk operation does not exist")
                        .putArray("field").add("id");
            } else if (op.finished()) {
                payload.set("bulkOperation", json(op));
                payload.putArray("userErrors").addObject().put("message", "A bulk operation cannot be canceled"
                        + " when it is " + op.status.toLowerCase(java.util.Locale.ROOT)).putNull("field");
            } else {
                op.canceling = true;
                op.status = "CANCELING";
                payload.set("bulkOperation", json(op));
                payload.putArray("userErrors");
            }
        }
        body.putObject("extensions").set("cost", cost(MUTATION_COST));
        simulator.json(ctx, 200, body);
    }

    /**
     * {@code customersCount}, each occurrence under its alias: from API version 2025-07 every count is capped at its
     * {@code limit} argument, 10,000 unless given, and {@code limit: null} lifts the cap; a count that reached its
     * cap says {@code AT_LEAST}. Its {@code query} filters as the customers search does. The same request may also
     * ask for {@code customers(first: n, sortKey: ID[, reverse: true])} under an alias (the ids at either end of the
     * shop); only that sort key is served.
     */
    private void customersCount(RoutingContext ctx, String query, JsonNode variables) {
        if (!pay(ctx, QUERY_COST)) {
            return;
        }
        ObjectNode body = Json.object();
        if (!simulator.config.granted("read_customers")) {
            ObjectNode error = body.putArray("errors").addObject();
            error.put("message", "Access denied for customersCount field. Required access: `read_customers` access scope.");
            error.putArray("path").add("customersCount");
            error.putObject("extensions").put("code", "ACCESS_DENIED");
            body.putNull("data");
        } else {
            List<ShopifyCustomer> customers = simulator.store.customers();
            // in id order, as the store keeps them: a count over an id range is two binary searches, as a shop's
            // index answers it (31 scans of 100,000 customers took the probe's answer 170 ms)
            long[] ids = customers.stream().mapToLong(c -> c.id).toArray();
            ObjectNode data = body.putObject("data");
            Matcher field = COUNT_OR_LIST.matcher(query);
            while (field.find()) {
                String args = field.group(3) == null ? "" : field.group(3);
                String alias = field.group(1) != null ? field.group(1) : field.group(2);
                CustomerSearch search = new CustomerSearch(argument(args, "query", variables));
                if (field.group(2).equals("customersCount")) {
                    long[] range = search.idRange();
                    long matching = range == null ? customers.stream().filter(search::matches).count()
                            : Math.max(0, firstAtOrAbove(ids, range[1]) - firstAtOrAbove(ids, range[0]));
                    Long limit = countLimit(args, variables);
                    boolean capped = limit != null && matching >= limit;
                    data.putObject(alias).put("count", capped ? limit : matching)
                            .put("precision", capped ? "AT_LEAST" : "EXACT");
                } else if (args.matches("(?s).*\\bsortKey\\s*:\\s*ID\\b.*")) {
                    listIds(data.putObject(alias).putArray("nodes"), customers, search, args);
                } else {
                    data.putNull(alias);
                    body.withArray("errors").addObject().put("message", "The sandbox lists customers beside a count"
                            + " by sortKey: ID only.").putArray("path").add(alias);
                }
            }
        }
        body.putObject("extensions").set("cost", cost(QUERY_COST));
        simulator.json(ctx, 200, body);
    }

    /**
     * A shop runs one bulk query per app at a time (before API version 2026-01): a second start is refused, and
     * counted, whether it came before the first was created or while it was being created.
     */
    private void refuseStart(RoutingContext ctx, Operation running) {
        startsRefused.incrementAndGet();
        userError(ctx, "OPERATION_IN_PROGRESS", null, "A bulk query operation for this app and shop is already in"
                + " progress: " + running.gid() + ".");
    }

    /** The index of the first id at or above {@code id} in ascending {@code ids} (their length if none). */
    private static int firstAtOrAbove(long[] ids, long id) {
        int i = java.util.Arrays.binarySearch(ids, id);
        return i >= 0 ? i : -i - 1;
    }

    private static final Pattern COUNT_OR_LIST = Pattern.compile(
            "(?:\\b(\\w+)\\s*:\\s*)?\\b(customersCount|customers)\\b\\s*(?:\\(([^)]*)\\))?");
    private static final Pattern FIRST = Pattern.compile("\\bfirst\\s*:\\s*(\\d+)");

    /** The ids of the first {@code first} customers in id order (from the highest with {@code reverse: true}). */
    private static void listIds(com.fasterxml.jackson.databind.node.ArrayNode nodes, List<ShopifyCustomer> customers,
                                CustomerSearch search, String args) {
        Matcher first = FIRST.matcher(args);
        int n = first.find() ? Math.min(250, Integer.parseInt(first.group(1))) : 0;
        List<ShopifyCustomer> inOrder = customers.stream().filter(search::matches).toList();
        boolean reverse = args.matches("(?s).*\\breverse\\s*:\\s*true\\b.*");
        for (int i = 0; i < Math.min(n, inOrder.size()); i++) {
            nodes.addObject().put("id", "gid://shopify/Customer/" + inOrder.get(reverse ? inOrder.size() - 1 - i : i).id);
        }
    }

    private void answerOperation(RoutingContext ctx, String field, Operation op) {
        if (!pay(ctx, QUERY_COST)) {
            return;
        }
        ObjectNode body = Json.object();
        ObjectNode data = body.putObject("data");
        synchronized (this) {
            if (op == null) {
                data.putNull(field);
            } else {
                advance(op, Instant.now());
                data.set(field, json(op));
            }
        }
        body.putObject("extensions").set("cost", cost(QUERY_COST));
        simulator.json(ctx, 200, body);
    }

    /** The JSONL file of the copied customers: each customer, then the objects of its nested connection. */
    private static byte[] render(List<ShopifyCustomer> customers, String bulkQuery, boolean addresses) {
        // read once per operation: a regular expression per field and customer took 1.9 s for 100,000 customers
        Set<String> fields = selected(bulkQuery);
        ByteArrayOutputStream out = new ByteArrayOutputStream(customers.size() * 256);
        for (ShopifyCustomer c : customers) {
            out.writeBytes(Json.bytes(customerLine(c, fields)));
            out.write('\n');
            if (addresses) {
                ObjectNode address = Json.object();
                address.put("id", "gid://shopify/MailingAddress/" + c.id + "?model_name=CustomerAddress");
                address.put("address1", (c.id % 900 + 1) + " Sandbox Street");
                address.put("city", "Ottawa");
                address.put("countryCodeV2", "CA");
                address.put("__parentId", "gid://shopify/Customer/" + c.id);
                out.writeBytes(Json.bytes(address));
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** The GraphQL Customer: the scalar fields the query names, timestamps in UTC as the GraphQL API gives them. */
    private static ObjectNode customerLine(ShopifyCustomer c, Set<String> fields) {
        ObjectNode node = Json.object();
        node.put("id", "gid://shopify/Customer/" + c.id);
        if (fields.contains("email")) node.put("email", c.email);
        if (fields.contains("firstName")) node.put("firstName", c.firstName);
        if (fields.contains("lastName")) node.put("lastName", c.lastName);
        if (fields.contains("phone")) node.put("phone", c.phone);
        if (fields.contains("state")) node.put("state", c.state == null ? null : c.state.toUpperCase(java.util.Locale.ROOT));
        if (fields.contains("verifiedEmail")) node.put("verifiedEmail", c.verifiedEmail);
        if (fields.contains("note")) node.put("note", c.note);
        if (fields.contains("tags")) {
            var tags = node.putArray("tags");
            for (String t : c.tags.split(",")) {
                if (!t.isBlank()) {
                    tags.add(t.trim());
                }
            }
        }
        if (fields.contains("createdAt")) node.put("createdAt", c.createdAt.toString());
        if (fields.contains("updatedAt")) node.put("updatedAt", c.updatedAt.toString());
        return node;
    }

    private static final List<String> CUSTOMER_FIELDS = List.of("email", "firstName", "lastName", "phone", "state",
            "verifiedEmail", "note", "tags", "createdAt", "updatedAt");

    /** The customer fields the bulk query names. */
    private static Set<String> selected(String query) {
        Set<String> fields = new java.util.HashSet<>();
        for (String field : CUSTOMER_FIELDS) {
            if (Pattern.compile("\\b" + field + "\\b").matcher(query).find()) {
                fields.add(field);
            }
        }
        return fields;
    }

    private synchronized void advanceAll() {
        Instant now = Instant.now();
        for (Operation op : operations.values()) {
            advance(op, now);
        }
    }

    /** CREATED → RUNNING at once; done once every object is processed at the configured rate, unless held. */
    private void advance(Operation op, Instant now) {
        if (op.finished()) {
            return;
        }
        if (op.canceling) {
            finish(op, "CANCELED", now);
            return;
        }
        if (op.runningSince == null) {
            op.runningSince = now;
            op.status = "RUNNING";
        }
        if (op.foreign || hold || processed(op, now) < op.objects || op.result == null) {
            return;
        }
        if (op.failWith != null) {
            op.errorCode = op.failWith;
            finish(op, "FAILED", now);
        } else {
            finish(op, "COMPLETED", now);
        }
    }

    private long processed(Operation op, Instant now) {
        if (op.runningSince == null) {
            return 0;
        }
        if (op.finished()) {
            return "COMPLETED".equals(op.status) ? op.objects : Math.min(op.objects, progress(op, op.completedAt));
        }
        return Math.min(op.objects, progress(op, now));
    }

    private long progress(Operation op, Instant at) {
        double seconds = java.time.Duration.between(op.runningSince, at).toNanos() / 1e9;
        return (long) Math.floor(seconds * objectsPerSecond);
    }

    private void finish(Operation op, String status, Instant now) {
        op.status = status;
        op.completedAt = now;
        sendFinished(op);
    }

    private Operation active() {
        for (Operation op : operations.values()) {
            if (!op.finished()) {
                return op;
            }
        }
        return null;
    }

    private synchronized Operation current() {
        if (current != null) {
            advance(current, Instant.now());
        }
        return current;
    }

    private synchronized Operation byId(long id) {
        return operations.get(id);
    }

    private ObjectNode json(Operation op) {
        ObjectNode node = Json.object();
        node.put("id", op.gid());
        node.put("type", "QUERY");
        node.put("status", op.status);
        if (op.errorCode == null) {
            node.putNull("errorCode");
        } else {
            node.put("errorCode", op.errorCode);
        }
        node.put("createdAt", op.createdAt.truncatedTo(ChronoUnit.SECONDS).toString());
        if ("COMPLETED".equals(op.status)) {
            node.put("completedAt", op.completedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        } else {
            node.putNull("completedAt");
        }
        long processed = processed(op, Instant.now());
        // UnsignedInt64 is a string in GraphQL answers
        node.put("objectCount", Long.toString(processed));
        node.put("rootObjectCount", Long.toString(op.objects == 0 ? 0
                : processed * op.rootObjects / op.objects));
        if ("COMPLETED".equals(op.status) && op.result.length > 0) {
            node.put("fileSize", Long.toString(op.result.length));
            node.put("url", resultUrl(op));
        } else {
            node.putNull("fileSize");
            node.putNull("url");
        }
        node.putNull("partialDataUrl");
        node.put("query", op.query);
        return node;
    }

    private String resultUrl(Operation op) {
        String file = op.id + ".jsonl";
        return simulator.baseUrl() + RESULT_PATH + file + "?X-Goog-Signature=" + sign(file);
    }

    private String sign(String file) {
        return HexFormat.of().formatHex(Hmac.sha256(signingKey, file.getBytes(StandardCharsets.UTF_8)));
    }

    private void download(RoutingContext ctx) {
        if (ctx.request().getHeader("X-Shopify-Access-Token") != null) {
            downloadsWithToken.incrementAndGet();
        }
        String file = ctx.pathParam("file");
        String signature = ctx.request().getParam("X-Goog-Signature");
        Matcher m = Pattern.compile("(\\d+)\\.jsonl").matcher(file);
        Operation op = m.matches() ? byId(Long.parseLong(m.group(1))) : null;
        if (op == null || signature == null || !java.security.MessageDigest.isEqual(
                sign(file).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "application/xml; charset=UTF-8")
                    .end("<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code></Error>");
            return;
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/jsonl")
                .end(Buffer.buffer(op.result));
    }

    private void sendFinished(Operation op) {
        ObjectNode payload = Json.object();
        payload.put("admin_graphql_api_id", op.gid());
        payload.put("completed_at", "COMPLETED".equals(op.status) ? op.completedAt.toString() : null);
        payload.put("created_at", op.createdAt.toString());
        payload.put("error_code", op.errorCode == null ? null : op.errorCode.toLowerCase(java.util.Locale.ROOT));
        payload.put("status", op.status.toLowerCase(java.util.Locale.ROOT));
        payload.put("type", "query");
        byte[] body = Json.bytes(payload);
        for (String[] target : simulator.webhookTargets("bulk_operations/finish")) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("X-Shopify-Topic", "bulk_operations/finish");
            headers.put("X-Shopify-Hmac-Sha256", ShopifyWebhooks.sign(simulator.config.appSecret, body));
            headers.put("X-Shopify-Shop-Domain", simulator.config.shopDomain);
            headers.put("X-Shopify-API-Version", target[1]);
            headers.put("X-Shopify-Webhook-Id", UUID.randomUUID().toString());
            headers.put("X-Shopify-Event-Id", UUID.randomUUID().toString());
            headers.put("X-Shopify-Triggered-At", Instant.now().toString());
            simulator.webhooks().send(new WebhookDispatcher.Delivery(target[0], headers, body,
                    Map.of("X-Shopify-Webhook-Id", UUID.randomUUID().toString())));
        }
    }

    /** Pays {@code points}; answers THROTTLED (the query does not run) when the bucket lacks them. */
    private boolean pay(RoutingContext ctx, int points) {
        if (simulator.graphqlPoints.tryPour(points)) {
            return true;
        }
        ObjectNode body = Json.object();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("message", "Throttled");
        error.putObject("extensions").put("code", "THROTTLED")
                .put("documentation", "https://shopify.dev/api/usage/rate-limits");
        ObjectNode cost = cost(points);
        cost.putNull("actualQueryCost");
        body.putObject("extensions").set("cost", cost);
        simulator.json(ctx, 200, body);
        return false;
    }

    private ObjectNode cost(int points) {
        LeakyBucket bucket = simulator.graphqlPoints;
        ObjectNode cost = Json.object();
        cost.put("requestedQueryCost", points);
        cost.put("actualQueryCost", points);
        ObjectNode throttle = cost.putObject("throttleStatus");
        throttle.put("maximumAvailable", bucket.capacity());
        throttle.put("currentlyAvailable", (long) Math.floor(bucket.available()));
        throttle.put("restoreRate", bucket.leakPerSecond());
        return cost;
    }

    private void userError(RoutingContext ctx, String code, List<String> field, String message) {
        ObjectNode body = Json.object();
        ObjectNode payload = body.putObject("data").putObject("bulkOperationRunQuery");
        payload.putNull("bulkOperation");
        ObjectNode error = payload.putArray("userErrors").addObject();
        if (field == null) {
            error.putNull("field");
        } else {
            var f = error.putArray("field");
            field.forEach(f::add);
        }
        error.put("message", message);
        error.put("code", code);
        body.putObject("extensions").set("cost", cost(MUTATION_COST));
        simulator.json(ctx, 200, body);
    }

    /** A string argument: {@code $variable}, {@code "literal"} or {@code """block"""}. */
    private static final long DEFAULT_COUNT_LIMIT = 10_000;
    private static final Pattern COUNT_LIMIT = Pattern.compile("\\blimit\\s*:\\s*(null|\\d+|\\$\\w+)");

    /** The {@code limit} among a count's arguments: null for none. */
    private static Long countLimit(String args, JsonNode variables) {
        Matcher m = COUNT_LIMIT.matcher(args);
        if (!m.find()) {
            return DEFAULT_COUNT_LIMIT;
        }
        String v = m.group(1);
        if (v.startsWith("$")) {
            JsonNode given = variables.path(v.substring(1));
            if (given.isMissingNode()) {
                return DEFAULT_COUNT_LIMIT;
            }
            return given.isNull() ? null : Long.valueOf(given.asLong());
        }
        return "null".equals(v) ? null : Long.valueOf(v);
    }

    static String argument(String query, String name, JsonNode variables) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*:\\s*(\\$\\w+|\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\]|\\\\.)*)\")",
                Pattern.DOTALL).matcher(query);
        if (!m.find()) {
            return null;
        }
        if (m.group(1).startsWith("$")) {
            JsonNode v = variables.path(m.group(1).substring(1));
            return v.isTextual() ? v.asText() : null;
        }
        return m.group(2) != null ? m.group(2) : m.group(3).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    ObjectNode config() {
        ObjectNode node = Json.object();
        node.put("bulkObjectsPerSecond", objectsPerSecond);
        node.put("bulkHold", hold);
        node.put("bulkFailWith", failWith);
        synchronized (this) {
            node.put("foreignBulkOperation", foreign != null && !foreign.finished());
            node.put("bulkOperations", operations.size());
            // each operation's query and status, oldest first: what a test sees of how a backfill was cut
            var started = node.putArray("bulkOperationsStarted");
            operations.values().forEach(op -> started.addObject().put("query", op.query).put("status", op.status)
                    .put("rootObjectCount", op.rootObjects).put("createdAt", op.createdAt.toString())
                    .put("completedAt", op.completedAt == null ? null : op.completedAt.toString()));
        }
        node.put("bulkDownloadsWithAccessToken", downloadsWithToken.get());
        // bulkOperationRunQuery answered OPERATION_IN_PROGRESS
        node.put("bulkStartsRefused", startsRefused.get());
        return node;
    }

    /** Applies the bulk knobs of {@code patch} and returns the rest, for the shop's own knobs. */
    JsonNode configure(JsonNode patch) {
        ObjectNode rest = patch.deepCopy();
        if (patch.has("bulkObjectsPerSecond")) {
            double rate = patch.get("bulkObjectsPerSecond").asDouble();
            if (rate <= 0) {
                throw new IllegalArgumentException("bulkObjectsPerSecond must be > 0");
            }
            objectsPerSecond = rate;
        }
        if (patch.has("bulkHold")) {
            hold = patch.get("bulkHold").asBoolean();
        }
        if (patch.has("bulkFailWith")) {
            failWith = Json.text(patch, "bulkFailWith");
        }
        if (patch.has("foreignBulkOperation")) {
            foreign(patch.get("foreignBulkOperation").asBoolean());
        }
        KNOBS.forEach(rest::remove);
        return rest;
    }

    private synchronized void foreign(boolean running) {
        if (running && (foreign == null || foreign.finished())) {
            foreign = new Operation(ids.incrementAndGet(), "{ products { edges { node { id } } } }", Instant.now(),
                    new byte[0], 0, 0, null, true);
            operations.put(foreign.id, foreign);
            current = foreign;
            advance(foreign, Instant.now());
        } else if (!running && foreign != null && !foreign.finished()) {
            foreign.canceling = true;
            advance(foreign, Instant.now());
        }
    }

    /** Status of the shop's most recent operation, for tests: null when none was started. */
    synchronized String currentStatus() {
        return current == null ? null : current().status;
    }
}
