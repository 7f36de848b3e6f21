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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
 * before 2026-01 run one bulk query per app and shop), each {@code sync.bulk-piece-ratio} of the one before. The
 * cuts come from counts at ids spread between the shop's lowest and highest, so a store whose customers bunch up
 * in one id range is cut by its customers, not by its ids. The shop is kept busy: the next piece's mutation is sent
 * a round trip before the running piece should end, by its pace, and each completed file is ingested off the
 * route's loop ({@code shopify-bulk-ingest}, a wire tap) while the shop works on the next. Only the last, smallest
 * file is left once the shop is done, and the sync run reads on while it is ingested: it saves the backfill's
 * watermark once that file is in the graph ({@link SyncRuns#BACKFILL_SETTLING}).
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
    /** On the exchange the route's wire tap ingests: one completed operation's result. */
    static final String RESULT = "shopifyBulkResult";
    private static final String BACKFILLED_FROM = SyncRuns.BACKFILLED_FROM;
    private static final String NOTE = SyncRuns.BACKFILL_NOTE;
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
    static final int PROBES = 32;
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
        /** Operations started whose end no poll has seen yet, oldest first: the first is the one polled. */
        final Deque<Piece> running = new ArrayDeque<>();
        /** Completed operations whose files are still to be handed to the ingest, oldest first. */
        final Deque<Result> completed = new ArrayDeque<>();
        /** The last file handed to the ingest: the next one waits for it, and the run's end for all. */
        CompletableFuture<Void> lastIngest = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> lastDownload = CompletableFuture.completedFuture(null);
        /** True once the sync run has the ingest still under way: it waits for it, this route no longer. */
        boolean handedToSyncRun;
        /** Why an ingest failed (the first), once one has: the run then pages instead. */
        volatile String ingestFailure;
        /** The first operation's start: the run pages on from there. */
        Instant createdAt;
        final AtomicLong customers = new AtomicLong();
        /** Customers the completed operations say they wrote (their root objects). */
        long completedCustomers;
        final Map<String, Long> events = new ConcurrentHashMap<>();
        int polls;
        /** Customers the shop counted before the operation started (null when it did not say exactly). */
        Long expected;
        /** When the latest status poll was sent, and how long its answer took. */
        Instant pollSentAt;
        Duration roundTrip = Duration.ZERO;
        /** When the next piece's mutation is sent (null: at once). */
        Instant startAt;
        /** Mutations the shop refused because the piece before was still running, and until when to resend. */
        int refusedStarts;
        Instant retryStartsUntil;
        /** The ids the probe counted below, in order. */
        List<Long> probes;

        BulkRun(StoreConfig store, String mode, long minCount, Duration pollEvery, Instant deadline) {
            this.store = store;
            this.mode = mode;
            this.minCount = minCount;
            this.pollEvery = pollEvery;
            this.deadline = deadline;
        }
    }

    /** One operation, from its start until a poll sees it end. */
    static final class Piece {
        final String operation;
        /** Its customers as counted before it started (null when not known exactly). */
        final Long expected;
        int polls;
        /** The previous poll's root objects done and when it was answered, by our clock. */
        long seenObjects = -1;
        Instant seenAt;
        /** The wait before the next poll; the first goes at once, the ramp then starts at MIN_POLL_MS. */
        Duration nextPoll = Duration.ofMillis(MIN_POLL_MS / 2);
        /** When the shop should be done with it, by its pace between the last two polls (null: not known yet). */
        Instant predictedEnd;
        /** One poll is timed to reach the shop just after the predicted end; any after it are paced again. */
        boolean timedPoll;

        Piece(String operation, Long expected) {
            this.operation = operation;
            this.expected = expected;
        }

        /**
         * The wait before the next status poll. Once two polls show the operation's pace, the time its remaining
         * customers take at that pace; until then a wait that doubles from 200 ms. Never more than the poll
         * interval: a guess too early costs a poll (a point of the GraphQL budget), one too late the run's time.
         */
        void progressed(long rootObjects, Instant now, Duration pollEvery) {
            long previous = seenObjects;
            Instant previousAt = seenAt;
            seenObjects = rootObjects;
            seenAt = now;
            long interval = pollEvery.toMillis();
            if (expected != null && previousAt != null && rootObjects > previous && rootObjects < expected) {
                double millisPerObject = Duration.between(previousAt, now).toMillis() / (double) (rootObjects - previous);
                long left = (long) Math.ceil((expected - rootObjects) * millisPerObject);
                predictedEnd = now.plusMillis(left);
                nextPoll = Duration.ofMillis(Math.min(interval, Math.max(MIN_POLL_MS, left + PREDICTION_MARGIN_MS)));
            } else {
                predictedEnd = null;
                nextPoll = Duration.ofMillis(Math.min(interval, Math.max(MIN_POLL_MS, 2 * nextPoll.toMillis())));
            }
        }
    }

    /** A completed operation's file, ingested off the route's loop, after the file before it. */
    static final class Result {
        final BulkRun run;
        final String operation;
        /** Null: the piece had no customers, so no file. */
        final String url;
        /** The ingest of the file handed on before this one: set when this one is handed on. */
        CompletableFuture<Void> before;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Completes once the file is downloaded, or could not be (the run's loop then pages instead). */
        final CompletableFuture<Void> downloaded = new CompletableFuture<>();
        Path file;
        ShopifyBulkCustomers records;
        DropInput input;

        Result(BulkRun run, String operation, String url) {
            this.run = run;
            this.operation = operation;
            this.url = url;
        }
    }

    /** Polls sooner than the interval are never closer together than this, however near the predicted end. */
    private static final long MIN_POLL_MS = 200;
    private static final long PREDICTION_MARGIN_MS = 50;
    /**
     * The next piece's mutation is meant to reach the shop this long after the piece before should end. Sent
     * earlier, a shop that runs one operation at a time refuses it and it is sent again this long later.
     */
    private static final long START_MARGIN_MS = 50;
    /** How long past the predicted end a refused start is sent again before the piece before is polled instead. */
    private static final Duration START_RETRIES_FOR = Duration.ofSeconds(1);

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
                startNext(exchange);
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
                startNext(exchange);
            }
        }
    }

    /**
     * As many pieces as configured, fewer where the last would hold under {@code sync.bulk-min-piece} customers.
     * Each piece is {@code sync.bulk-piece-ratio} of the one before.
     */
    private static int pieces(BulkRun run, long count) {
        int pieces = Integer.parseInt(setting(run.store, "sync.bulk-pieces"));
        long minPiece = Long.parseLong(setting(run.store, "sync.bulk-min-piece"));
        double ratio = ratio(run.store);
        if (pieces < 1 || pieces > 8) {
            throw new IllegalArgumentException("stores." + run.store.id() + ".sync.bulk-pieces must be 1 to 8, not " + pieces);
        }
        while (pieces > 1 && count * shares(pieces, ratio)[pieces - 1] < minPiece) {
            pieces--;
        }
        return pieces;
    }

    private static double ratio(StoreConfig store) {
        double ratio = Double.parseDouble(setting(store, "sync.bulk-piece-ratio"));
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("stores." + store.id() + ".sync.bulk-piece-ratio must be above 0 and at"
                    + " most 1, not " + ratio);
        }
        return ratio;
    }

    /** Each piece's share of the store: 1, r, r², ... normalised to 1. */
    static double[] shares(int pieces, double ratio) {
        double[] shares = new double[pieces];
        double sum = 0;
        for (int p = 0; p < pieces; p++) {
            shares[p] = Math.pow(ratio, p);
            sum += shares[p];
        }
        for (int p = 0; p < pieces; p++) {
            shares[p] /= sum;
        }
        return shares;
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
     * Cuts the store where the counts come nearest to pieces each {@code sync.bulk-piece-ratio} of the one before
     * (for three at 0.5: 4/7, 2/7 and 1/7 of the store). A probe that does not answer exactly, or cuts that would
     * leave a piece empty, give fewer pieces; the whole shop in one operation at worst.
     */
    public void probed(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        JsonNode data;
        try {
            data = answer(exchange, "below1").path("data");
        } catch (IllegalStateException e) {
            LOG.info("sync {}/customers: the counts to cut the store by failed ({}); one bulk operation",
                    run.store.id(), e.getMessage());
            startNext(exchange);
            return;
        }
        long total = run.expected;
        List<long[]> below = new ArrayList<>();
        for (int i = 1; i < PROBES; i++) {
            JsonNode c = data.path("below" + i);
            if (!"EXACT".equals(c.path("precision").asText())) {
                startNext(exchange);
                return;
            }
            below.add(new long[] {run.probes.get(i - 1), c.path("count").asLong()});
        }
        int pieces = pieces(run, total);
        double[] shares = shares(pieces, ratio(run.store));
        List<long[]> cuts = new ArrayList<>();
        double share = 0;
        for (int p = 0; p < pieces - 1; p++) {
            share += shares[p];
            double target = total * share;
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
        startNext(exchange);
    }

    /** The next piece's operation is started next: at once, or at {@code startAt}. */
    private static void startNext(Exchange exchange) {
        exchange.setProperty(STEP, "start");
    }

    /**
     * Puts the next piece's {@code bulkOperationRunQuery} on the message, once it is due: at once, or so that it
     * reaches the shop just after the piece before should end.
     */
    public void start(Exchange exchange) throws InterruptedException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        failIfAnIngestFailed(run);
        if (run.startAt != null) {
            long wait = Duration.between(clock.instant(), run.startAt).toMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            run.startAt = null;
        }
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
            if (!run.running.isEmpty()) {
                // sent for when the piece before should end, and it had not: again a little later, then by its polls
                run.refusedStarts++;
                if (run.retryStartsUntil != null && clock.instant().isBefore(run.retryStartsUntil)) {
                    run.startAt = clock.instant().plusMillis(START_MARGIN_MS);
                    exchange.setProperty(STEP, "start");
                } else {
                    run.running.peekFirst().nextPoll = Duration.ZERO;
                    exchange.setProperty(STEP, "poll");
                }
                return;
            }
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
        ours.put(run.store.id(), Map.entry(operation.path("id").asText(), bulkQuery(run.pieces.get(run.next - 1))));
        LOG.info("sync {}/customers: bulk operation {} started{}", run.store.id(), operation.path("id").asText(),
                run.pieces.size() == 1 ? "" : " (piece " + run.next + " of " + run.pieces.size() + ", "
                        + run.pieces.get(run.next - 1) + ")");
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

    /**
     * The piece's operation runs: polled from now on. A file that completed before it is handed to the ingest
     * first, now that the shop has work again.
     */
    private void follow(Exchange exchange, BulkRun run, JsonNode operation) {
        Piece piece = new Piece(operation.path("id").asText(),
                run.pieceCounts.size() == 1 ? run.expected : run.pieceCounts.get(run.next));
        if (!run.running.isEmpty()) {
            // started before a poll saw the one before end: the shop took it, so that one has ended (from API
            // version 2026-01, five run at once: then it may still run beside this one, and its polls say so)
            run.running.peekFirst().nextPoll = Duration.ZERO;
        }
        run.running.addLast(piece);
        run.operations.add(piece.operation);
        if (run.createdAt == null) {
            run.createdAt = Instant.parse(operation.path("createdAt").asText());
        }
        run.next++;
        run.refusedStarts = 0;
        run.retryStartsUntil = null;
        exchange.setProperty(STEP, run.completed.isEmpty() ? "poll" : "ingest");
    }

    /**
     * Waits until the oldest running operation should have moved on, then asks for its status. Each poll costs a
     * point of the store's GraphQL budget, sent through it like any other call.
     */
    public void poll(Exchange exchange) throws InterruptedException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        failIfAnIngestFailed(run);
        Piece piece = run.running.peekFirst();
        run.polls++;
        if (piece.polls++ > 0 && !piece.nextPoll.isZero()) {
            Thread.sleep(piece.nextPoll.toMillis());
        }
        run.pollSentAt = clock.instant();
        graphql(exchange, run, POLL_QUERY, json.createObjectNode().put("id", piece.operation), 1);
    }

    /**
     * Reads the status: still running (and, near its predicted end, the next piece started so that it reaches
     * the shop just after); completed with a result URL (its file handed to the ingest once the shop has the next
     * piece); or ended otherwise (paged instead).
     */
    public void polled(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        Instant now = clock.instant();
        run.roundTrip = Duration.between(run.pollSentAt, now);
        Piece piece = run.running.peekFirst();
        JsonNode operation = answer(exchange, "node").path("data").path("node");
        String status = operation.path("status").asText("");
        switch (status) {
            case "CREATED", "RUNNING", "CANCELING" -> {
                piece.progressed(operation.path("rootObjectCount").asLong(0), now, run.pollEvery);
                if (now.isAfter(run.deadline)) {
                    stop(exchange, "bulk operation " + piece.operation + " still " + status + " after "
                            + setting(run.store, "sync.bulk-max-wait-seconds") + " s; paged instead (the next"
                            + " backfill waits for it)");
                    return;
                }
                exchange.setProperty(STEP, "poll");
                if (piece.predictedEnd == null || piece.timedPoll) {
                    return;
                }
                // sent then, a call reaches the shop just after the piece should end (the shop answers as it handles)
                Instant sendAt = piece.predictedEnd.minus(run.roundTrip).plusMillis(START_MARGIN_MS);
                if (now.plus(piece.nextPoll).plus(run.roundTrip).isBefore(sendAt)) {
                    return;
                }
                // the next paced poll would answer too late to act on: the next piece's mutation goes at that
                // moment, or, for the last piece, one poll that finds it done
                if (run.running.size() == 1 && run.next < run.pieces.size() && run.refusedStarts == 0) {
                    run.startAt = sendAt;
                    run.retryStartsUntil = sendAt.plus(START_RETRIES_FOR).plus(run.roundTrip.multipliedBy(2));
                    exchange.setProperty(STEP, "start");
                } else {
                    piece.timedPoll = true;
                    piece.nextPoll = now.isBefore(sendAt) ? Duration.between(now, sendAt) : Duration.ZERO;
                }
            }
            case "COMPLETED" -> {
                run.running.removeFirst();
                if (run.running.isEmpty()) {
                    ours.remove(run.store.id());
                }
                LOG.info("sync {}/customers: bulk operation {} completed, {} objects after {} status polls",
                        run.store.id(), piece.operation, operation.path("objectCount").asText("?"), piece.polls);
                run.completedCustomers += operation.path("rootObjectCount").asLong(0);
                run.completed.addLast(new Result(run, piece.operation,
                        operation.path("url").isNull() ? null : operation.path("url").asText(null)));
                if (run.running.isEmpty() && run.next < run.pieces.size()) {
                    // the shop gets its next piece before this file is ingested
                    run.startAt = null;
                    startNext(exchange);
                } else {
                    exchange.setProperty(STEP, "ingest");
                }
            }
            default -> {
                run.running.removeFirst();
                ours.remove(run.store.id());
                stop(exchange, "bulk operation " + piece.operation + " ended " + status
                        + (operation.hasNonNull("errorCode") ? " (" + operation.path("errorCode").asText() + ")" : "")
                        + "; paged instead");
            }
        }
    }

    /**
     * Puts the oldest completed file on the exchange for the route's wire tap to ingest, after the file before
     * it, while the route goes on with the shop.
     */
    public void handOn(Exchange exchange) {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        Result result = run.completed.removeFirst();
        result.before = run.lastIngest;
        run.lastIngest = result.done;
        run.lastDownload = result.downloaded;
        exchange.setProperty(RESULT, result);
        if (!run.completed.isEmpty()) {
            exchange.setProperty(STEP, "ingest");
        } else if (!run.running.isEmpty()) {
            exchange.setProperty(STEP, "poll");
        } else if (run.next < run.pieces.size()) {
            startNext(exchange);
        } else {
            exchange.setProperty(STEP, "finish");
        }
    }

    /**
     * Downloads this result to a file and, once the file before has been ingested, puts its records on the exchange
     * as the ingest pipeline takes a dropped file's. The URL is signed: it is fetched with no credentials at all,
     * and only from HTTPS (or the store's own host, the sandbox). A piece with no customers has no file.
     */
    public void download(Exchange exchange) throws Exception {
        Result result = exchange.getProperty(RESULT, Result.class);
        BulkRun run = result.run;
        failIfAnIngestFailed(run);
        Files.createDirectories(workDir);
        result.file = Files.createTempFile(workDir, "shopify-bulk-" + run.store.id() + "-", ".jsonl");
        if (result.url != null) {
            URI uri = trusted(run.store, result.url);
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofFile(result.file));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the result of bulk operation " + result.operation
                        + " answered HTTP " + response.statusCode() + " at " + uri.getHost() + uri.getPath());
            }
            LOG.info("sync {}/customers: bulk operation {} result downloaded, {} bytes", run.store.id(),
                    result.operation, Files.size(result.file));
        }
        result.downloaded.complete(null);
        // the download's round trip overlaps the ingest before it; the records go in after them
        result.before.join();
        failIfAnIngestFailed(run);
        result.input = new DropInput(UUID.randomUUID().toString(), run.store.platform(), run.store.id(), Kind.CUSTOMER,
                Surface.GRAPHQL, "sync:" + run.store.id() + "/customers/" + result.operation,
                exchange.getProperty(REJECTS_FILE, Path.class));
        DropInputs.bind(exchange, result.input);
        result.records = new ShopifyBulkCustomers(recordReader.readFile(result.file.toFile()));
        exchange.getMessage().setBody(result.records);
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

    /** Once every line of a result is in the graph: what it brought, for the run's summary. */
    public void ingested(Exchange exchange) {
        Result result = exchange.getProperty(RESULT, Result.class);
        BulkRun run = result.run;
        run.customers.addAndGet(result.records.customers());
        result.input.eventCounts().forEach((type, n) -> run.events.merge(type, n, Long::sum));
        LOG.info("sync {}/customers: bulk operation {} ingested, {} customers", run.store.id(), result.operation,
                result.records.customers());
    }

    /** An ingest that failed: the route's loop sees it at its next step and the run pages instead. */
    public void ingestFailed(Exchange exchange) {
        Result result = exchange.getProperty(RESULT, Result.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = "the result of bulk operation " + result.operation + " was not ingested: "
                + (cause == null ? "unknown error" : cause.getMessage());
        LOG.warn("sync {}/customers: {}", result.run.store.id(), why);
        if (result.run.ingestFailure == null) {
            result.run.ingestFailure = why;
        }
        result.downloaded.complete(null);
    }

    /** Removes the result's file, whatever happened, and lets the next file (or the run's end) go on. */
    public void ingestEnded(Exchange exchange) throws IOException {
        Result result = exchange.getProperty(RESULT, Result.class);
        try {
            if (result.records != null) {
                result.records.close();
            }
            if (result.file != null) {
                Files.deleteIfExists(result.file);
            }
        } finally {
            result.done.complete(null);
        }
    }

    /**
     * Once every file is downloaded: what the sync run continues from, and the ingest still under way, which the
     * sync run waits for before it saves any watermark. Its pages meanwhile read what changed while the operations
     * ran. A download that failed, or an ingest that already failed, pages instead.
     */
    public void finish(Exchange exchange) throws InterruptedException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        await(run.lastDownload, run, Duration.ofMillis(1), "downloaded");
        failIfAnIngestFailed(run);
        String operations = run.operations.size() == 1 ? "backfilled by bulk operation " + run.operations.get(0)
                : "backfilled by " + run.operations.size() + " bulk operations over id ranges, one after another ("
                + String.join(", ", run.operations) + ")";
        exchange.setProperty(BACKFILLED_FROM, run.createdAt);
        exchange.setProperty(SyncRuns.BACKFILL_SETTLING, run.lastIngest.thenApply(ingested -> {
            failIfAnIngestFailed(run);
            return new SyncRuns.Backfilled(run.customers.get(), Map.copyOf(run.events));
        }));
        run.handedToSyncRun = true;
        exchange.setProperty(NOTE, operations + ": " + run.completedCustomers + " customers, " + run.polls + " status polls");
        exchange.setProperty(STEP, "done");
    }

    /** Waits for the files handed to the ingest to be {@code what}, at most until the deadline (at least {@code least}). */
    private void await(CompletableFuture<Void> last, BulkRun run, Duration least, String what) throws InterruptedException {
        long wait = Math.max(least.toMillis(), Duration.between(clock.instant(), run.deadline).toMillis());
        try {
            last.get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a bulk result was not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("bulk results still not " + what + " after "
                    + setting(run.store, "sync.bulk-max-wait-seconds") + " s");
        }
    }

    private static void failIfAnIngestFailed(BulkRun run) {
        if (run.ingestFailure != null) {
            throw new IllegalStateException(run.ingestFailure);
        }
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

    /**
     * Whatever happened, the files already handed to the ingest are let finish before the run goes on: paging
     * that follows a failure must not race an older file's versions of the same customers.
     */
    public void cleanUp(Exchange exchange) throws InterruptedException {
        BulkRun run = exchange.getProperty(RUN, BulkRun.class);
        exchange.removeProperty(RUN);
        exchange.removeProperty(STEP);
        exchange.removeProperty(RESULT);
        if (run != null && !run.handedToSyncRun) {
            // a file not yet handed on is never downloaded: nothing of it to wait for
            run.completed.clear();
            try {
                // past the deadline too: an ingest ends by itself (its download times out after 30 minutes)
                await(run.lastIngest, run, Duration.ofMinutes(35), "ingested");
            } catch (IllegalStateException e) {
                LOG.warn("sync {}/customers: {}", run.store.id(), e.getMessage());
            }
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
