package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Base of every platform simulator: an in-process HTTP server on 127.0.0.1 (Vert.x Web) with request
 * counters, fault injection, a webhook dispatcher and the control API.
 * <h2>Lifecycle</h2>
 * {@code new XSimulator(settings).start()} binds the configured port (0 = ephemeral) and returns the
 * simulator; {@link #baseUrl()} is then e.g. {@code http://127.0.0.1:41234}; {@link #close()} stops it.
 * <h2>What a platform subclass provides</h2>
 * <ul>
 *   <li>{@link #mountRoutes(Router)}: the platform API. Request bodies are already read
 *       ({@code ctx.body()}). Answer JSON through {@link #respondJson(RoutingContext, int, Object)} so that
 *       body faults apply.</li>
 *   <li>{@link #records()}: create/update/delete/touch/trigger for the control API and tests.</li>
 *   <li>{@link #describe()}: credentials and URLs printed by {@link SandboxMain}.</li>
 *   <li>optional overrides: {@link #config()}/{@link #configure(JsonNode)} (platform knobs),
 *       {@link #sendServerError}, {@link #sendRateLimited}, {@link #notFound} (platform error shapes),
 *       {@link #onStart()}/{@link #onStop()} (timers).</li>
 * </ul>
 * <h2>Control API</h2>
 * Mounted under {@value #CONTROL_PATH} by {@link ControlApi}; needs no platform credentials and is neither
 * counted nor subject to faults.
 * <h2>Faults</h2>
 * Request-level faults ({@link FaultType#SLOW}, {@link FaultType#SERVER_ERROR}, {@link FaultType#RATE_LIMIT},
 * {@link FaultType#CONNECTION_RESET}) are applied here before the platform route; body faults in
 * {@link #respondJson}; {@link FaultType#EMPTY_PAGE} and {@link FaultType#MOVE_RECORD} by platform list
 * handlers through {@link #takeListFault(RoutingContext, FaultType)}.
 */
public abstract class Simulator implements AutoCloseable {

    public static final String CONTROL_PATH = "/_sandbox";

    private final String platform;
    private final int requestedPort;
    private final RequestCounters counters = new RequestCounters();
    private final FaultInjector faults = new FaultInjector();
    private final WebhookDispatcher webhooks = new WebhookDispatcher();
    private Vertx vertx;
    private HttpServer server;
    private volatile String baseUrl;
    private volatile Latency latency = Latency.NONE;

    protected Simulator(String platform, int port) {
        this.platform = platform;
        this.requestedPort = port;
    }

    /** Starts the HTTP server (blocking until it listens) and returns this simulator. */
    public final synchronized Simulator start() {
        if (server != null) {
            return this;
        }
        vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(8L * 1024 * 1024));
        new ControlApi(this).mount(router);
        router.route().handler(this::instrument);
        mountRoutes(router);
        router.route().last().handler(this::notFound);
        try {
            // No h2c upgrade: java.net.http clients try it on the first request to a new http:// origin, and
            // that handshake with Vert.x sometimes stalls the response; the platforms' clients speak HTTP/1.1 here.
            server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(requestedPort)
                            .setHttp2ClearTextEnabled(false))
                    .requestHandler(router)
                    .listen()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException(platform + " simulator failed to start on port " + requestedPort, e);
        }
        baseUrl = "http://127.0.0.1:" + server.actualPort();
        onStart();
        return this;
    }

    /** Stops the server and the webhook dispatcher; safe to call twice. */
    @Override
    public final synchronized void close() {
        if (vertx == null) {
            return;
        }
        onStop();
        webhooks.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("failed to stop " + platform + " simulator", e);
        } finally {
            vertx = null;
            server = null;
        }
    }

    public final String platform() {
        return platform;
    }

    /** {@code http://127.0.0.1:<port>}; null before {@link #start()}. */
    public final String baseUrl() {
        return baseUrl;
    }

    public final String controlUrl() {
        return baseUrl + CONTROL_PATH;
    }

    public final int port() {
        return server == null ? -1 : server.actualPort();
    }

    public final RequestCounters counters() {
        return counters;
    }

    public final FaultInjector faults() {
        return faults;
    }

    public final WebhookDispatcher webhooks() {
        return webhooks;
    }

    /** Every answer from now on waits this long first (on a Vert.x timer: the event loop never blocks). */
    public final void latency(Latency latency) {
        this.latency = latency;
    }

    public final Latency latency() {
        return latency;
    }

    protected final Vertx vertx() {
        return vertx;
    }

    protected abstract void mountRoutes(Router router);

    public abstract RecordControl records();

    /** Name/value pairs a person needs to connect: URLs, tokens, secrets. */
    public abstract Map<String, String> describe();

    /** Current platform knobs (rate limits, tokens, webhook URL ...). */
    public ObjectNode config() {
        return Json.object();
    }

    /** Applies the knobs present in {@code patch}; unknown keys are rejected with IllegalArgumentException. */
    public void configure(JsonNode patch) {
        patch.fieldNames().forEachRemaining(name -> {
            throw new IllegalArgumentException("unknown knob " + name);
        });
    }

    /** A sandbox store's credentials, the ones configured and the ones generated for it. */
    public record StoreCredentials(String token, String username, String password, String apiKey,
                                   String webhookSecret, String scimToken) {
    }

    /**
     * Which of {@code token}, {@code username}, {@code password}, {@code api-key} a store served by this
     * simulator signs in with: those a sandbox store lacks are generated at start-up.
     */
    public java.util.Set<String> storeCredentials() {
        return java.util.Set.of("token");
    }

    /** Further {@code stores.<id>.*} settings a sandbox store takes from this simulator (its API key, say). */
    public Map<String, String> storeSettings() {
        return Map.of();
    }

    /** The admin user a sandbox store signs in as, when it signs in and names none. */
    public String sandboxUsername() {
        return "admin";
    }

    /**
     * Makes this simulator accept a sandbox store's credentials (its knobs), before it starts.
     *
     * @param basePath the path of the store's base URL (some platforms carry the store's id there)
     */
    public void serveStore(StoreCredentials credentials, String basePath) {
        configure(Json.object().put("accessToken", credentials.token()));
    }

    protected void onStart() {
    }

    protected void onStop() {
    }

    protected void sendServerError(RoutingContext ctx, int status) {
        respondRaw(ctx, status, Json.bytes(Json.object().put("errors", "Internal Server Error")));
    }

    protected void sendRateLimited(RoutingContext ctx) {
        ctx.response().putHeader("Retry-After", "1");
        respondRaw(ctx, 429, Json.bytes(Json.object().put("errors", "Too Many Requests")));
    }

    protected void notFound(RoutingContext ctx) {
        respondRaw(ctx, 404, Json.bytes(Json.object().put("errors", "Not Found")));
    }

    /** Sends {@code body} as JSON, after applying any armed body fault for this request. */
    protected final void respondJson(RoutingContext ctx, int status, Object body) {
        byte[] bytes = Json.bytes(body);
        Optional<Fault> fault = faults.consumeBody(ctx.request().method().name(), ctx.request().path());
        if (fault.isPresent()) {
            bytes = switch (fault.get().type()) {
                case TRUNCATED_BODY -> truncate(bytes);
                case BAD_FIELD, DROP_RECORD -> badField(bytes, fault.get());
                default -> corrupt(bytes);
            };
        }
        respondRaw(ctx, status, bytes);
    }

    /** Sends bytes as-is with a JSON content type. */
    protected final void respondRaw(RoutingContext ctx, int status, byte[] bytes) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Buffer.buffer(bytes));
    }

    /**
     * Runs a list request's work on a worker thread and answers from there. Most lists are read from sorted
     * indexes in well under the time a response takes to serialise, but a query the indexes do not cover (a sort
     * on another field, a text search) walks every record, and on the event loop that would hold up every other
     * request of this store, the control API included. A failure answers 500 as one on the event loop would.
     */
    protected final void offload(RoutingContext ctx, Runnable work) {
        vertx.executeBlocking(() -> {
            work.run();
            return null;
        }, false).onFailure(ctx::fail);
    }

    /** For platform list handlers: takes one armed EMPTY_PAGE or MOVE_RECORD fault matching this request. */
    protected final boolean takeListFault(RoutingContext ctx, FaultType type) {
        return faults.consume(type, ctx.request().method().name(), ctx.request().path()).isPresent();
    }

    private static byte[] truncate(byte[] bytes) {
        return Arrays.copyOf(bytes, Math.max(1, bytes.length / 2));
    }

    /**
     * Sets (or removes) one field of one record of the first array of objects in the body, breadth first, or
     * removes that record ({@link FaultType#DROP_RECORD}).
     */
    private static byte[] badField(byte[] bytes, Fault fault) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            JsonNode root = mapper.readTree(bytes);
            java.util.ArrayDeque<JsonNode> queue = new java.util.ArrayDeque<>(List.of(root));
            while (!queue.isEmpty()) {
                JsonNode node = queue.poll();
                if (node.isArray() && node.size() > fault.index() && node.get(fault.index()).isObject()) {
                    if (fault.type() == FaultType.DROP_RECORD) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) node).remove(fault.index());
                        return mapper.writeValueAsBytes(root);
                    }
                    ObjectNode record =
                            (ObjectNode) node.get(fault.index());
                    if (fault.value() == null) {
                        record.remove(fault.field());
                    } else {
                        record.set(fault.field(), fault.value());
                    }
                    return mapper.writeValueAsBytes(root);
                }
                node.forEach(queue::add);
            }
            return bytes;
        } catch (java.io.IOException e) {
            return bytes;
        }
    }

    private static byte[] corrupt(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        String broken = colon < 0 ? "{" + text : text.substring(0, colon + 1) + ",\u0000" + text.substring(colon + 1);
        return broken.getBytes(StandardCharsets.UTF_8);
    }

    private void instrument(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path.startsWith(CONTROL_PATH)) {
            ctx.next();
            return;
        }
        String method = ctx.request().method().name();
        String endpoint = RequestCounters.endpointKey(method, path);
        counters.requestArrived();
        ctx.addHeadersEndHandler(v -> counters.recordResponse(endpoint, ctx.response().getStatusCode()));
        Optional<Fault> slow = faults.consume(FaultType.SLOW, method, path);
        long delay = latency.next() + slow.map(Fault::delayMillis).orElse(0L);
        if (delay > 0 || slow.isPresent()) {
            // The platform counts the request once its handler runs, after the delay: a client that frees a
            // budget slot only after the answer is still never early.
            vertx.setTimer(Math.max(1, delay), id -> applyTerminalFault(ctx, method, path, endpoint));
        } else {
            applyTerminalFault(ctx, method, path, endpoint);
        }
    }

    private void applyTerminalFault(RoutingContext ctx, String method, String path, String endpoint) {
        Optional<Fault> fault = faults.consumeTerminal(method, path);
        if (fault.isEmpty()) {
            ctx.next();
            return;
        }
        switch (fault.get().type()) {
            case SERVER_ERROR -> sendServerError(ctx, fault.get().status());
            case RATE_LIMIT -> sendRateLimited(ctx);
            case CONNECTION_RESET -> {
                counters.recordReset(endpoint);
                ctx.request().connection().close();
            }
            default -> ctx.next();
        }
    }
}
