package com.commerceidentity.platform.shopify;

import com.commerceidentity.drop.DropInput;
import com.commerceidentity.drop.DropInputs;
import com.commerceidentity.drop.RecordReader;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Surface;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.sync.SyncRuns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code shopify-bulk-backfill} route: the first backfill of a store's customers as bulk query
 * operations instead of thousands of pages. Count the customers ({@code auto}), start
 * {@code bulkOperationRunQuery}, poll {@code node(id:)} through the store's GraphQL points budget until it ends,
 * download the JSONL result from its signed URL, and hand its lines to the same ingest pipeline as a dropped file.
 * The sync run then goes on incrementally from the first operation's start time less the overlap, so what changed
 * while the operations ran is read by the ordinary paging.
 *
 * <p>A big store is read in {@code sync.bulk-pieces} operations over id ranges, one after another (API versions
 * before 2026-01 run one bulk query per app and shop), each half the size of the one before: a piece's file is
 * ingested while the shop works on the next, so only the last, smallest file is ingested after the shop is done.
 * The cuts come from counts at ids spread between the shop's lowest and highest, so a store whose customers
 * bunch up in one id range is cut by its customers, not by its ids.
 *
 * <p>Whenever bulk is not to be had (switched off, too few customers, an operation of another process running,
 * access denied, the operation FAILED or CANCELED, a download that fails) the run pages as it always did, and
 * its summary's {@code note} says why.
 */
public class ShopifyBulkBackfill implements CamelContextAware {
    /**
     * What the route does next: {@code count}, {@code probe}, {@code start}, {@code current}, {@code poll},
     * {@code download}, {@code done}.
     */
    public static final String STEP = "shopifyBulkStep";
    static final String RUN = "shopifyBulkRun";
    private static final String BACKFILLED_FROM = SyncRuns.BACKFILLED_FROM;
    private static final String NOTE = SyncRuns.BACKFILL_NOTE;
    private static final String RECORDS = SyncRuns.BACKFILL_RECORDS;
    private static final String EVENTS = SyncRuns.BACKFILL_EVENTS;
    private static final String REJECTS_FILE = SyncRuns.REJECTS_FILE;
    /** Customer fields the bulk query reads: those {@link ShopifyBulkCustomers} turns into the REST shape. */
    static final String BULK_QUERY = "{ customers { edges { node { id email firstName lastName phone state tags"
            + " verifiedEmail note createdAt updatedAt } } } }";
    private static final String PIECE_QUERY = "{ customers(query: \"%s\") { edges { node { id email firstName lastName"
            + " phone state tags verifiedEmail note createdAt updatedAt } } } }";
    private static final String RUN_QUERY = "mutation($query: String!) { bulkOperationRunQuery(query: $query) "
            + "{ bulkOperation { id status createdAt } userErrors { field message code } } }";
    private static final String POLL_QUERY = "query($id: ID!) { node(id: $id) { ... on BulkOperation { id status"
            + " errorCode createdAt objectCount rootObjectCount url } } }";
    private static final String CURRENT_QUERY = "{ currentBulkOperation { id status createdAt } }";
    /**
     * Uncapped: from 2025-07 a count stops at 10,000 unless told otherwise, below many a store's threshold. The ids
     * at either end of the shop are where the cuts into pieces are looked for.
     */
    private static final String COUNT_QUERY = "{ customersCount(limit: null) { count precision }"
            + " lowest: customers(first: 1, sortKey: ID) { nodes { id } }"
            + " highest: customers(first: 1, sortKey: ID, reverse: true) { nodes { id } } }";
    /** Counts below this many ids spread evenly between the lowest and the highest: where the cuts may go. */
    static final int PROBES = 16;
    private static final Logger LOG = LoggerFactory.getLogger(ShopifyBulkBackfill.class);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /**
     * Operations this process started, by store, with their queries: one found running is waited for when it is
     * the one this run means to start, not taken for another's.
     */
    private final Map<String, Map.Entry<String, String>> ours = new ConcurrentHashMap<>();
    private volatile CamelContext camel;
    private volatile StoreRegistry stores;
    private volatile RecordReader recordReader;
    private volatile Clock clock;
    private Path workDir;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }

    /**
     * The app's store registry, record reader and clock, looked up at first use: the route file declaring this bean
     * is read before the configuration classes bind them.
     */
    private void resolveBeans() {
        if (stores == null) {
            recordReader = camel.getRegistry().lookupByNameAndType("recordReader", RecordReader.class);
            clock = camel.getRegistry().lookupByNameAndType("clock", Clock.class);
            stores = camel.getRegistry().lookupByNameAndType("storeRegistry", StoreRegistry.class);
        }
    }

    /** Where result files are kept while they are ingested (deleted afterwards). */
    public void setWorkDir(String dir) {
        this.workDir = Path.of(dir);
    }

    /** One store's bulk backfill in progress. */
    static final class BulkRun {
        final StoreConfig store;
        final String mode;
        final long minCount;
        final Duration pollEvery;
        final Instant deadline;
        /** The search each operation runs over, in order (one null: the whole shop in one operation). */
        List<String> pieces = java.util.Collections.singletonList(null);
        /** Customers each piece held when counted (null where not known exactly). */
        List<Long> pieceCounts = java.util.Collections.singletonList(null);
        /** The next piece to start. */
        int next;
        final List<String> operations = new ArrayList<>();
        /** The operation the shop works on now (null between one's completion and the next's start). */
        String operation;
        /** The first operation's start: the run pages on from there. */
        Instant createdAt;
        /** A completed operation whose result is still to be ingested, and its URL (null: no customers). */
        boolean resultPending;
        String resultUrl;
        String resultOperation;
        Path file;
        ShopifyBulkCustomers records;
        DropInput input;
        long customers;
        final Map<String, Long> events = new java.util.HashMap<>();
        int polls;
        /** Status polls of the operation running now. */
        int operationPolls;
        /** Customers the shop counted before the operation started (null when it did not say exactly). */
        Long expected;
        /** The previous poll's root objects done and when it was answered, by our clock. */
        long seenObjects = -1;
        Instant seenAt;
        Duration nextPoll;
        /** The ids the probe counted below, in order. */
        List<Long> probes;

        BulkRun(StoreConfig store, String mode, long minCount, Duration pollEvery, Instant deadline) {
            this.store = store;
            this.mode = mode;
            this.minCount = minCount;
            this.pollEvery = pollEvery;
            this.deadline = deadline;
            // the first poll goes at once; the ramp below then starts at MIN_POLL_MS
            this.nextPoll = Duration.ofMillis(MIN_POLL_MS / 2);
        }

        /**
         * The wait before the next status poll. Once two polls show the operation's pace, the time its remaining
         * customers take at that pace; until then a wait that doubles from 200 ms. Never more
         * than the poll interval: a guess too early costs a poll (a point of the GraphQL budget), one too late
         * the run's time.
         */
        void progressed(long rootObjects, Instant now) {
            long previous = seenObjects;
            Instant previousAt = seenAt;
            seenObjects = rootObjects;
            seenAt = now;
            long interval = pollEvery.toMillis();
            if (expected != null && previousAt != null && rootObjects > previous && rootObjects < expected) {
                double millisPerObject = Duration.between(previousAt, now).toMillis() / (double) (rootObjects - previous);
                long left = (long) Math.ceil((expected - rootObjects) * millisPerObject) + PREDICTION_MARGIN_MS;
                nextPoll = Duration.ofMillis(Math.min(interval, Math.max(MIN_POLL_MS, left)));
            } else {
                nextPoll = Duration.ofMillis(Math.min(interval, Math.max(MIN_POLL_MS, 2 * nextPoll.toMillis())));
            }
        }
    }

    /** Polls sooner than the interval are never closer together than this, however near the predicted end. */
    private static final long MIN_POLL_MS = 200;
    private static final long PREDICTION_MARGIN_MS = 50;

    /** Decides whether this backfill goes through bulk operations ({@code stores.<id>.sync.bulk}). */
    public void begin(Exchange exchange) {
        resolveBeans();
        String storeId = exchange.getMessage().getHeader(StoreCalls.STORE_ID, String.class);
        StoreConfig store = stores.get(storeId).orElseThrow();
        String mode = setting(store, "sync.bulk").toLowerCase(Locale.ROOT);
        if (!Set.of("auto", "on", "off").contains(mode)) {
            throw new IllegalArgumentException("stores." + storeId + ".sync.bulk must be auto, on or off, not '" + mode + "'");
        }
        BulkRun run = new BulkRun(store, mode, Long.parseLong(setting(store, "sync.bulk-min-count")),
                Duration.ofMillis(Long.parseLong(setting(store, "sync.bulk-poll-ms"))),
                clock.instant().plusSeconds(Long.parseLong(setting(store, "sync.bulk-max-wait-seconds"))));
        exchange.setProperty(RUN, run);
        if ("off".equals(mode)) {
            stop(exchange, null);
        } else {
            // auto decides by the count; both use it to cut the store into pieces and to poll when one should be done
            exchange.setProperty(STEP, "count");
            // reserved: the count and two one-customer connections; the answer's actual cost settles it
            graphql(exchange, run, COUNT_QUERY, null, 5);
        }
    }

    /** {@code auto}: bulk only pays for a big store; a small one is paged as before. {@code on}: bulk anyway. */
    public void counted(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        JsonNode answer;
        try {
            answer = answer(exchange, "customersCount");
        } catch (IllegalStateException e) {
            if ("on".equals(run.mode)) {
                start(exchange, run);
                return;
            }
            throw e;
        }
        JsonNode data = answer.path("data");
        JsonNode counted = data.path("customersCount");
        long count = counted.path("count").asLong(-1);
        if (count >= 0 && "EXACT".equals(counted.path("precision").asText())) {
            run.expected = count;
        }
        if (!"on".equals(run.mode) && count < 0) {
            stop(exchange, "bulk not used: customersCount answered " + errors(answer));
        } else if (!"on".equals(run.mode) && count < run.minCount) {
            stop(exchange, null);
        } else {
            int pieces = pieces(run, count);
            Long lowest = customerId(data.path("lowest"));
            Long highest = customerId(data.path("highest"));
            if (pieces > 1 && run.expected != null && lowest != null && highest != null && highest - lowest >= PROBES) {
                probe(exchange, run, lowest, highest);
            } else {
                start(exchange, run);
            }
        }
    }

    /** As many pieces as configured, fewer where the last (a {@code 2^k - 1}th of the store) would be too small. */
    private static int pieces(BulkRun run, long count) {
        int pieces = Integer.parseInt(setting(run.store, "sync.bulk-pieces"));
        long minPiece = Long.parseLong(setting(run.store, "sync.bulk-min-piece"));
        if (pieces < 1 || pieces > 8) {
            throw new IllegalArgumentException("stores." + run.store.id() + ".sync.bulk-pieces must be 1 to 8, not " + pieces);
        }
        while (pieces > 1 && count / ((1L << pieces) - 1) < minPiece) {
            pieces--;
        }
        return pieces;
    }

    private static Long customerId(JsonNode list) {
        String gid = list.path("nodes").path(0).path("id").asText("");
        int slash = gid.lastIndexOf('/');
        try {
            return slash < 0 ? null : Long.valueOf(gid.substring(slash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Asks, in one request, how many customers lie below each of {@link #PROBES} - 1 ids spread over the shop. */
    private void probe(Exchange exchange, BulkRun run, long lowest, long highest) {
        List<Long> ids = new ArrayList<>();
        StringBuilder query = new StringBuilder("{");
        for (int i = 1; i < PROBES; i++) {
            long id = lowest + (long) Math.floor((highest - lowest) * (i / (double) PROBES));
            ids.add(id);
            query.append(" below").append(i).append(": customersCount(query: \"id:<").append(id)
                    .append("\", limit: null) { count precision }");
        }
        run.probes = ids;
        exchange.setProperty(STEP, "probe");
        graphql(exchange, run, query.append(" }").toString(), null, PROBES - 1);
    }

    /**
     * Cuts the store where the counts come nearest to pieces of 4/7, 2/7 and 1/7 (for three): each piece half
     * the one before. A probe that does not answer exactly, or cuts that would leave a piece empty, give fewer
     * pieces; the whole shop in one operation at worst.
     */
    public void probed(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        JsonNode data;
        try {
            data = answer(exchange, "below1").path("data");
        } catch (IllegalStateException e) {
            LOG.info("sync {}/customers: the counts to cut the store by failed ({}); one bulk operation",
                    run.store.id(), e.getMessage());
            start(exchange, run);
            return;
        }
        long total = run.expected;
        List<long[]> below = new ArrayList<>();
        for (int i = 1; i < PROBES; i++) {
            JsonNode c = data.path("below" + i);
            if (!"EXACT".equals(c.path("precision").asText())) {
                start(exchange, run);
                return;
            }
            below.add(new long[] {run.probes.get(i - 1), c.path("count").asLong()});
        }
        int pieces = pieces(run, total);
        long weights = (1L << pieces) - 1;
        List<long[]> cuts = new ArrayList<>();
        long share = 0;
        for (int p = 0; p < pieces - 1; p++) {
            share += 1L << (pieces - 1 - p);
            double target = total * (share / (double) weights);
            long[] nearest = null;
            for (long[] probe : below) {
                if (nearest == null || Math.abs(probe[1] - target) < Math.abs(nearest[1] - target)) {
                    nearest = probe;
                }
            }
            long previous = cuts.isEmpty() ? 0 : cuts.get(cuts.size() - 1)[1];
            if (nearest[1] > previous && nearest[1] < total) {
                cuts.add(nearest);
            }
        }
        List<String> searches = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        long from = -1;
        long before = 0;
        for (long[] cut : cuts) {
            searches.add((from < 0 ? "" : "id:>=" + from + " AND ") + "id:<" + cut[0]);
            counts.add(cut[1] - before);
            from = cut[0];
            before = cut[1];
        }
        searches.add(from < 0 ? null : "id:>=" + from);
        counts.add(total - before);
        run.pieces = searches;
        run.pieceCounts = counts;
        start(exchange, run);
    }

    /** Puts the next piece's {@code bulkOperationRunQuery} on the message. */
    private void start(Exchange exchange, BulkRun run) {
        exchange.setProperty(STEP, "start");
        graphql(exchange, run, RUN_QUERY, json.createObjectNode().put("query", bulkQuery(run.pieces.get(run.next))), 10);
    }

    private static String bulkQuery(String search) {
        return search == null ? BULK_QUERY : String.format(PIECE_QUERY, search);
    }

    /** The operation's id, or why none was started. */
    public void started(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        JsonNode answer = answer(exchange, "bulkOperationRunQuery");
        JsonNode payload = answer.path("data").path("bulkOperationRunQuery");
        JsonNode userError = payload.path("userErrors").path(0);
        if ("OPERATION_IN_PROGRESS".equals(userError.path("code").asText())) {
            // only one bulk query per app and shop: ours from an earlier run is waited for, another's is not ours
            exchange.setProperty(STEP, "current");
            graphql(exchange, run, CURRENT_QUERY, null, 1);
            return;
        }
        JsonNode operation = payload.path("bulkOperation");
        if (!operation.hasNonNull("id")) {
            stop(exchange, "bulk not used: bulkOperationRunQuery answered " + (userError.isMissingNode()
                    ? errors(answer) : userError.path("code").asText() + " " + userError.path("message").asText()));
            return;
        }
        follow(exchange, run, operation);
        ours.put(run.store.id(), Map.entry(run.operation, bulkQuery(run.pieces.get(run.next - 1))));
        LOG.info("sync {}/customers: bulk operation {} started{}", run.store.id(), run.operation, run.pieces.size() == 1
                ? "" : " (piece " + run.next + " of " + run.pieces.size() + ", " + run.pieces.get(run.next - 1) + ")");
    }

    /**
     * The operation that kept ours from starting: waited for when this process started it with the query this
     * piece runs, else paged around.
     */
    public void current(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        JsonNode operation = answer(exchange, "currentBulkOperation").path("data").path("currentBulkOperation");
        String id = operation.path("id").asText("");
        Map.Entry<String, String> earlier = ours.get(run.store.id());
        if (Map.entry(id, bulkQuery(run.pieces.get(run.next))).equals(earlier)) {
            follow(exchange, run, operation);
            return;
        }
        if (earlier != null && earlier.getKey().equals(id)) {
            stop(exchange, "bulk not used: bulk operation " + id + " of an earlier backfill, over other customers, is"
                    + " still " + operation.path("status").asText("?") + " on the shop; paged instead");
            return;
        }
        stop(exchange, "bulk not used: another bulk operation of this app is running on the shop (" + id + ", "
                + operation.path("status").asText("?") + "), not started by this sync; paged instead");
    }

    /** The piece's operation runs: polled from now on (or once the file before it is ingested). */
    private void follow(Exchange exchange, BulkRun run, JsonNode operation) {
        run.operation = operation.path("id").asText();
        run.operations.add(run.operation);
        if (run.createdAt == null) {
            run.createdAt = Instant.parse(operation.path("createdAt").asText());
        }
        run.expected = run.pieceCounts.size() == 1 ? run.expected : run.pieceCounts.get(run.next);
        run.next++;
        run.operationPolls = 0;
        run.seenObjects = -1;
        run.seenAt = null;
        run.nextPoll = Duration.ofMillis(MIN_POLL_MS / 2);
        exchange.setProperty(STEP, run.resultPending ? "download" : "poll");
    }

    /**
     * Waits until the operation should have moved on, then asks for its status. Each poll costs a point of the
     * store's GraphQL budget, sent through it like any other call.
     */
    public void poll(Exchange exchange) throws InterruptedException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        run.polls++;
        if (run.operationPolls++ > 0) {
            Thread.sleep(run.nextPoll.toMillis());
        }
        graphql(exchange, run, POLL_QUERY, json.createObjectNode().put("id", run.operation), 1);
    }

    /**
     * Reads the status: still running; completed with a result URL (the next piece is started before that result
     * is ingested); or ended otherwise (paged instead).
     */
    public void polled(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        JsonNode operation = answer(exchange, "node").path("data").path("node");
        String status = operation.path("status").asText("");
        switch (status) {
            case "CREATED", "RUNNING", "CANCELING" -> {
                run.progressed(operation.path("rootObjectCount").asLong(0), clock.instant());
                if (clock.instant().isAfter(run.deadline)) {
                    stop(exchange, "bulk operation " + run.operation + " still " + status + " after "
                            + setting(run.store, "sync.bulk-max-wait-seconds") + " s; paged instead (the next"
                            + " backfill waits for it)");
                }
            }
            case "COMPLETED" -> {
                ours.remove(run.store.id());
                LOG.info("sync {}/customers: bulk operation {} completed, {} objects after {} status polls",
                        run.store.id(), run.operation, operation.path("objectCount").asText("?"), run.operationPolls);
                run.resultPending = true;
                run.resultUrl = operation.path("url").isNull() ? null : operation.path("url").asText(null);
                run.resultOperation = run.operation;
                run.operation = null;
                if (run.next < run.pieces.size()) {
                    start(exchange, run);
                } else {
                    exchange.setProperty(STEP, "download");
                }
            }
            default -> {
                ours.remove(run.store.id());
                stop(exchange, "bulk operation " + run.operation + " ended " + status
                        + (operation.hasNonNull("errorCode") ? " (" + operation.path("errorCode").asText() + ")" : "")
                        + "; paged instead");
            }
        }
    }

    /**
     * Downloads the completed operation's result to a file and puts its records on the exchange as the ingest
     * pipeline takes a dropped file's. The URL is signed: it is fetched with no credentials at all, and only from
     * HTTPS (or the store's own host, the sandbox). A piece with no customers has no file.
     */
    public void download(Exchange exchange) throws IOException, InterruptedException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        String url = run.resultUrl;
        Files.createDirectories(workDir);
        run.file = Files.createTempFile(workDir, "shopify-bulk-" + run.store.id() + "-", ".jsonl");
        if (url != null) {
            URI uri = trusted(run.store, url);
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofFile(run.file));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the result of bulk operation " + run.resultOperation
                        + " answered HTTP " + response.statusCode() + " at " + uri.getHost() + uri.getPath());
            }
            LOG.info("sync {}/customers: bulk operation {} result downloaded, {} bytes", run.store.id(),
                    run.resultOperation, Files.size(run.file));
        }
        run.input = new DropInput(UUID.randomUUID().toString(), run.store.platform(), run.store.id(), Kind.CUSTOMER,
                Surface.GRAPHQL, "sync:" + run.store.id() + "/customers/" + run.resultOperation,
                exchange.getProperty(REJECTS_FILE, Path.class));
        DropInputs.bind(exchange, run.input);
        run.records = new ShopifyBulkCustomers(recordReader.readFile(run.file.toFile()));
        exchange.getMessage().setBody(run.records);
    }

    private static URI trusted(StoreConfig store, String url) {
        URI uri = URI.create(url);
        URI base = URI.create(store.baseUrl());
        boolean sameHost = uri.getScheme().equals(base.getScheme()) && uri.getHost() != null
                && uri.getHost().equalsIgnoreCase(base.getHost()) && uri.getPort() == base.getPort();
        if (!"https".equals(uri.getScheme()) && !sameHost) {
            throw new IllegalStateException("the bulk result URL is not HTTPS (" + uri.getScheme() + "://"
                    + uri.getHost() + "): not downloaded");
        }
        return uri;
    }

    /**
     * Once every line of a result is in the graph: on to the piece the shop works on now, or, after the last,
     * what the sync run continues from and what the bulk brought.
     */
    public void ingested(Exchange exchange) throws IOException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        run.customers += run.records.customers();
        run.input.eventCounts().forEach((type, n) -> run.events.merge(type, n, Long::sum));
        LOG.info("sync {}/customers: bulk operation {} ingested, {} customers", run.store.id(), run.resultOperation,
                run.records.customers());
        run.resultPending = false;
        deleteFile(run);
        if (run.operation != null) {
            exchange.setProperty(STEP, "poll");
            return;
        }
        exchange.setProperty(BACKFILLED_FROM, run.createdAt);
        exchange.setProperty(RECORDS, run.customers);
        exchange.setProperty(EVENTS, Map.copyOf(run.events));
        exchange.setProperty(NOTE, (run.operations.size() == 1 ? "backfilled by bulk operation " + run.operations.get(0)
                : "backfilled by " + run.operations.size() + " bulk operations over id ranges, one after another ("
                + String.join(", ", run.operations) + ")") + ": " + run.customers + " customers, " + run.polls
                + " status polls");
        exchange.setProperty(STEP, "done");
    }

    /** A failure anywhere on the bulk path: the run pages instead, and says why. */
    public void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        exchange.removeProperty(BACKFILLED_FROM);
        String why = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
        LOG.warn("sync {}/customers: bulk backfill failed ({}); paging instead",
                run == null ? "?" : run.store.id(), why);
        stop(exchange, "bulk not used: " + why + "; paged instead");
    }

    /** Removes the result file, whatever happened. */
    public void cleanUp(Exchange exchange) throws IOException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        exchange.removeProperty(RUN);
        exchange.removeProperty(STEP);
        if (run != null) {
            deleteFile(run);
        }
    }

    private static void deleteFile(BulkRun run) throws IOException {
        if (run.records != null) {
            run.records.close();
            run.records = null;
        }
        if (run.file != null) {
            Files.deleteIfExists(run.file);
            run.file = null;
        }
    }

    private void stop(Exchange exchange, String note) {
        exchange.setProperty(STEP, "done");
        if (note != null) {
            exchange.setProperty(NOTE, note);
        }
    }

    /** Puts a GraphQL call on the message as {@code direct:store-call} takes it; {@code cost} is reserved first. */
    private void graphql(Exchange exchange, BulkRun run, String query, ObjectNode variables, double cost) {
        ObjectNode body = json.createObjectNode().put("query", query);
        body.set("variables", variables == null ? json.createObjectNode() : variables);
        Message m = exchange.getMessage();
        m.setHeader(StoreCalls.STORE_ID, run.store.id());
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.HTTP_PATH, "/admin/api/" + ShopifyModule.apiVersion(run.store) + "/graphql.json");
        m.removeHeader(Exchange.HTTP_QUERY);
        m.setHeader(StoreCalls.BUDGET_COST, cost);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(body.toString());
    }

    /** The answer to a GraphQL call; one the shop refused (HTTP or GraphQL errors) fails the bulk path. */
    private JsonNode answer(Exchange exchange, String field) {
        Message m = exchange.getMessage();
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = m.getBody(String.class);
        if (code != 200) {
            throw new IllegalStateException(field + " answered HTTP " + code);
        }
        try {
            JsonNode root = json.readTree(body == null ? "" : body);
            if (root.path("data").path(field).isMissingNode() && root.has("errors")) {
                throw new IllegalStateException(field + " answered " + errors(root));
            }
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(field + " answered something that is not JSON", e);
        }
    }

    private static String errors(JsonNode root) {
        JsonNode first = root.path("errors").path(0);
        String code = first.path("extensions").path("code").asText("");
        return (code.isEmpty() ? "" : code + ": ") + first.path("message").asText("no data");
    }

    private static String setting(StoreConfig store, String key) {
        String value = store.settings().get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("stores." + store.id() + "." + key + " is not set (its default is"
                    + " app.store-defaults." + key + ")");
        }
        return value.trim();
    }
}
