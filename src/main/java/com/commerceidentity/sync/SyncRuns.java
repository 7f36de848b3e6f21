package com.commerceidentity.sync;

import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.drop.DropInput;
import com.commerceidentity.drop.DropInputs;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code sync-run} route: page through one surface of one store, oldest change first, hand
 * each page to the ingest pipeline, and move the watermark only once that page is committed — so a restart
 * resumes where the last committed page ended and nothing is read twice into the feed (versions absorb the
 * small overlap re-read at the start of each incremental run).
 *
 * <p>The request for page n+1 follows from page n alone, so {@link #readPage} knows it ({@link SyncRun#read})
 * and the route goes on fetching while earlier pages are ingested, at most {@code app.sync.read-ahead-bytes} of
 * page bodies ahead ({@link ReadAhead}). Pages are mapped and committed one after another in fetch order (page
 * n+1 is mapped while page n is in the graph), and the graph writer saves the watermark a page reached once that
 * page's last batch is committed ({@link #commitWhenSettled}), never one a page fetched ahead reached. When a
 * page fails to commit, the pages queued behind it are skipped.
 *
 * <p>This class is the Camel side: exchanges, messages and the beans the routes call. The run's own state and
 * its moves are {@link SyncRun}'s.
 */
public class SyncRuns {
    public static final String SURFACE = "syncSurface";
    /**
     * Records per request, set by a schedule made from its platform's {@code <platform>-sync} template; a run
     * started otherwise (on request, a retry, at start-up) reads the same {@code stores.<id>.sync.<surface>.page-size}.
     */
    public static final String PAGE_SIZE = "syncPageSize";
    static final String RUN = "syncRun";
    static final String MORE = "syncMore";
    static final String PAGE = "syncPage";
    /** The {@link SyncRun.Fetch} whose answer is being read. */
    static final String FETCH = "syncFetch";
    /**
     * The endpoint of the surface's backfill ({@link com.commerceidentity.platform.SyncSurface#backfill}), set when
     * the run starts without a watermark. The route calls it before paging; it reads the store's records its own
     * way, hands them to {@code direct:ingest-records} (a {@link DropInput} with the rejects file
     * {@value #REJECTS_FILE}) and answers in the properties below. It never fails the run: when it cannot backfill,
     * it leaves {@value #BACKFILLED_FROM} unset and the run pages from the beginning as before.
     */
    public static final String BACKFILL = "syncBackfill";
    /** Where the backfill's rejects go: the run's own rejects file. */
    public static final String REJECTS_FILE = "syncRejectsFile";
    /** The backfill's answer: every record updated before this {@link Instant} (the platform's clock) is committed. */
    public static final String BACKFILLED_FROM = "syncBackfilledFrom";
    /** The backfill's answer: what it did, or why it did not (shown as the run's {@code note}). */
    public static final String BACKFILL_NOTE = "syncBackfillNote";
    /**
     * The backfill's answer beside {@value #BACKFILLED_FROM}: a {@code CompletableFuture<}{@link Backfilled}{@code >}
     * that completes once every record it read is committed (its last ones may still be on their way as it
     * returns). {@value #BACKFILLED_FROM} is saved only then, and the run's pages settle after it; if it fails, the
     * run fails and the next run backfills again.
     */
    public static final String BACKFILL_SETTLING = "syncBackfillSettling";

    /** What a backfill committed: records, and feed events by type. */
    public record Backfilled(long records, Map<String, Long> events) {
    }
    /** The {@link FetchWindow.Sent} a request's own exchange carries to the store and back. */
    static final String SENT = "syncSent";
    /** Pages sent ahead of the page to read next, per in-flight slot of the store. */
    private static final int SEND_AHEAD = 2;
    /** Set when a completed staff run is to delete the staff its store no longer lists. */
    static final String DELETES = "syncDeletes";
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final StoreRegistry stores;
    private final SyncSurfaces surfaces;
    private final SyncStateStore states;
    private final SyncStatus status;
    private final Path rejectsDir;
    private final Clock clock;
    private final long readAheadBytes;
    private final long commitTimeoutMillis;
    private final SyncRetries retries;
    private volatile SyncFetchSlots fetchSlots;
    private volatile RateBudgets budgets;
    private volatile ReadAhead.NodeRoom readAheadRoom = ReadAhead.NodeRoom.unshared();
    private volatile SyncLeases leases = SyncLeases.local();
    private final Map<String, SyncRun> active = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastProgressLog = new ConcurrentHashMap<>();

    public SyncRuns(StoreRegistry stores, SyncSurfaces surfaces, SyncStateStore states, SyncStatus status,
                    Path rejectsDir, Clock clock, long readAheadBytes, long commitTimeoutMillis, SyncRetries retries) {
        this.retries = retries;
        this.readAheadBytes = readAheadBytes;
        this.commitTimeoutMillis = commitTimeoutMillis;
        this.stores = stores;
        this.surfaces = surfaces;
        this.states = states;
        this.status = status;
        this.rejectsDir = rejectsDir;
        this.clock = clock;
    }

    /** The per-store cap on requests in flight, which sets how far ahead a run sends. */
    public void fetchSlots(SyncFetchSlots slots) {
        this.fetchSlots = slots;
    }

    /** What every run's read-ahead holds at most together ({@code app.sync.read-ahead-total-bytes}). */
    public void readAheadTotal(long bytes) {
        this.readAheadRoom = new ReadAhead.NodeRoom(bytes);
    }

    /** The stores' budgets, which say how many lanes a cursor walk is worth ({@link LaneSizing}). */
    public void budgets(RateBudgets budgets) {
        this.budgets = budgets;
    }

    /** Which node runs each surface when several share the database (one alone: {@link SyncLeases#local}). */
    public void leases(SyncLeases leases) {
        this.leases = leases;
    }

    /** One answer, as the exchange that fetched it left it. */
    record Answer(SyncRun.Fetch fetch, int code, String body, Map<String, String> headers, int attempts,
                  int rateLimited) {
    }

    public void start(Exchange exchange) {
        Message m = exchange.getMessage();
        String storeId = m.getHeader(StoreCalls.STORE_ID, String.class);
        String surface = m.getHeader(SURFACE, String.class);
        StoreConfig store = stores.get(storeId).orElseThrow(() -> new IllegalArgumentException(
                "no store '" + storeId + "' is configured"));
        Integer pageSize = m.getHeader(PAGE_SIZE, Integer.class);
        SurfaceWalker walker = pageSize == null ? surfaces.walker(store, surface)
                : surfaces.walker(store, surface, pageSize);
        // Claimed before the watermark is read: a run another node just ended has saved its last one by then.
        if (!leases.claim(storeId, surface)) {
            LOG.info("sync {}/{}: another node is running it, this trigger is skipped", storeId, surface);
            exchange.setProperty(MORE, false);
            return;
        }
        SyncState saved = states.load(storeId, surface);
        CamelContext camel = exchange.getContext();
        SyncRun run = new SyncRun(store, walker, saved, clock.instant(),
                new ReadAhead(readAheadRoom, readAheadBytes, commitTimeoutMillis, camel::isStopping));
        run.maxLanes = lanes(store);
        RateBudgets budgets = this.budgets;
        if (budgets != null && store.settings().get("sync.lanes") == null) { // lanes set for the store are taken as set
            run.budgetOf = request -> budgets.forStore(store, PlatformModules.of(store.platform().id()).lane(request.path()));
        }
        if (active.putIfAbsent(run.key(), run) != null) {
            LOG.info("sync {}: a run is still going, this trigger is skipped", run.key());
            exchange.setProperty(MORE, false);
            return;
        }
        Instant since = run.begin(() -> surfaces.overlap(store));
        String backfill = SyncSurfaces.surface(store, surface).backfill();
        if (backfill != null && walker.incremental() && saved.watermark() == null) {
            exchange.setProperty(BACKFILL, backfill);
            exchange.setProperty(REJECTS_FILE, rejectsFile(run));
        }
        exchange.setProperty(RUN, run);
        exchange.setProperty(MORE, true);
        status.running(run);
        LOG.info("sync {}: {} from {}", run.key(), saved.backfillDone() ? "incremental run" : "backfill",
                since == null ? "the beginning" : since);
    }

    /**
     * The requests to send now (the body, for the splitter): pages of a snapshot up to twice the store's
     * {@code sync.max-in-flight} ahead of the page to read next, or the one request that follows from the page read
     * last. Sending ahead of the slots keeps a request waiting for each slot that frees while an older answer is
     * still out.
     */
    public List<SyncRun.Fetch> plan(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        return run.plan(run.readAhead.pagesWithRoom(run.lastPageBytes, SEND_AHEAD * fetchSlots.max(run.store)));
    }

    /** In the splitter, before the request is handed to its own thread: the run will read its answer in this order. */
    public void send(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        exchange.setProperty(SENT, run.window.send(exchange.getMessage().getBody(SyncRun.Fetch.class)));
    }

    /** On the request's thread: false when the run gave the request up before a slot freed for it. */
    public boolean fetchWanted(Exchange exchange) {
        return exchange.getProperty(RUN, SyncRun.class).window.wanted(sent(exchange));
    }

    /** Puts the request on the message as {@code direct:store-call} takes it. */
    public void prepareFetch(Exchange exchange) {
        SyncRun.Fetch fetch = sent(exchange).fetch();
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        exchange.setProperty(FETCH, fetch);
        // The splitter copied the run's message, which holds the answer read last: a store answer without a header
        // of its own (a Link, when a lane's window fits one page) would otherwise be read with that answer's.
        exchange.getMessage().getHeaders().clear();
        prepare(exchange.getMessage(), run.store.id(), fetch.request());
    }

    /** After the call: the answer, for the run to read in page order. */
    public void answered(Exchange exchange) {
        Message m = exchange.getMessage();
        FetchWindow.Sent sent = sent(exchange);
        sent.answer().complete(new Answer(sent.fetch(),
                m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), m.getBody(String.class), headers(m),
                exchange.getProperty(StoreCalls.ATTEMPTS, 1, Integer.class),
                exchange.getProperty(StoreCalls.RATE_LIMITED, 0, Integer.class)));
    }

    /** The call failed (given up after its retries): the run fails when it comes to read this answer. */
    public void fetchFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        sent(exchange).answer().completeExceptionally(
                cause != null ? cause : new IllegalStateException("a page request failed"));
    }

    private static FetchWindow.Sent sent(Exchange exchange) {
        return exchange.getProperty(SENT, FetchWindow.Sent.class);
    }

    /**
     * Waits for the answer to the oldest request sent and puts it on the message, as a fetch through
     * {@code direct:store-call} leaves it; throws why that request failed.
     */
    public void nextAnswer(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        CamelContext camel = exchange.getContext();
        if (run.lanes != null) {
            laneAnswer(exchange, run);
            return;
        }
        Answer a = run.window.next(camel::isStopping);
        Message m = exchange.getMessage();
        putAnswerHeaders(run, m, a);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, a.code());
        m.setBody(a.body());
        exchange.setProperty(FETCH, a.fetch());
        exchange.setProperty(StoreCalls.ATTEMPTS, a.attempts());
        exchange.setProperty(StoreCalls.RATE_LIMITED, a.rateLimited());
    }

    /**
     * Lanes: takes in every answer already back (each lane's next request can then go out), and puts on the message
     * the page back longest, of whichever lane, as {@link #nextAnswer} does; when none is back, waits for any
     * answer and leaves no page (property {@value #FETCH} unset), so the loop sends what it allows first.
     */
    private void laneAnswer(Exchange exchange, SyncRun run) throws Exception {
        exchange.removeProperty(FETCH);
        boolean tookIn = false;
        for (FetchWindow.Sent done = run.window.doneNow(); done != null; done = run.window.doneNow()) {
            arrived(run, done);
            tookIn = true;
            if (run.lanes == null) {
                return;
            }
        }
        if (run.lanes.walking()) {
            Lanes.Arrived ready = run.lanes.takeReady();
            if (ready != null) {
                if (ready.failure() != null) {
                    throw ready.failure();
                }
                Answer a = ready.answer();
                Message m = exchange.getMessage();
                putAnswerHeaders(run, m, a);
                m.setHeader(Exchange.HTTP_RESPONSE_CODE, a.code());
                m.setBody(a.body());
                run.laneTaken = ready;
                exchange.setProperty(FETCH, a.fetch());
                // counted when it came back
                exchange.setProperty(StoreCalls.ATTEMPTS, 1);
                exchange.setProperty(StoreCalls.RATE_LIMITED, 0);
                return;
            }
            if (run.lanes.finished()) {
                return;
            }
        }
        if (tookIn) {
            // what came back may let requests go (a lane's next page, the next round of counts): send them first
            return;
        }
        arrived(run, run.window.nextDone(exchange.getContext()::isStopping));
    }

    /** The answer's headers on the run's message, in place of the previous answer's (none of those may linger). */
    private static void putAnswerHeaders(SyncRun run, Message m, Answer a) {
        run.answerHeaders.forEach(m::removeHeader);
        m.getHeaders().putAll(a.headers());
        run.answerHeaders = a.headers().keySet();
    }

    private void arrived(SyncRun run, FetchWindow.Sent done) {
        Answer answer = null;
        Exception failure = null;
        try {
            answer = done.answer().getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            failure = e.getCause() instanceof Exception cause ? cause : e;
        }
        String said = run.laneArrived(done.fetch(), answer, failure);
        if (said != null) {
            LOG.info("sync {}: {}", run.key(), said);
        }
    }

    /**
     * Lanes a cursor walk may be cut into: {@code stores.<id>.sync.lanes}, else as many as the store lets be in
     * flight, so each lane keeps one request out.
     */
    int lanes(StoreConfig store) {
        String v = store.settings().get("sync.lanes");
        if (v == null) {
            return fetchSlots.max(store);
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stores." + store.id() + ".sync.lanes must be a whole number, got " + v);
        }
        if (n < 1) {
            throw new IllegalArgumentException("stores." + store.id() + ".sync.lanes must be at least 1, got " + v);
        }
        return n;
    }

    /**
     * Reads the fetched page; the body becomes the page's records for the ingest pipeline, and the exchange
     * property {@value #PAGE} what committing it means. Waits while the pages read ahead fill the read-ahead.
     */
    public void readPage(Exchange exchange) throws InterruptedException {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        Message m = exchange.getMessage();
        exchange.removeProperty(PAGE);
        if (exchange.getProperty(FETCH) == null) {
            // lanes: no page back yet (a count came back, or answers that let requests go were taken in)
            exchange.setProperty(MORE, run.more());
            m.setBody(List.of());
            return;
        }
        run.fetched(exchange.getProperty(StoreCalls.ATTEMPTS, 1, Integer.class),
                exchange.getProperty(StoreCalls.RATE_LIMITED, 0, Integer.class));
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = m.getBody(String.class);
        SyncRun.PageRead read;
        try {
            read = run.read(exchange.getProperty(FETCH, SyncRun.Fetch.class), code, body, headers(m));
        } catch (MalformedPageException e) {
            LOG.warn("sync {}: {}; fetching the page again", run.key(), e.getMessage());
            run.sendAgain();
            m.setBody(List.of());
            return;
        }
        if (read == null) {
            // the snapshot changed: the pages sent after this one are not read, the run goes on by keyset
            run.sendAgain();
            exchange.setProperty(MORE, run.more());
            m.setBody(List.of());
            return;
        }
        exchange.setProperty(MORE, run.more());
        run.readAhead.hold(read.inFlight().bytes());
        exchange.setProperty(PAGE, read.inFlight());
        exchange.setProperty(SyncPagesQueue.RANK, run.rank);
        DropInput input = new DropInput(UUID.randomUUID().toString(), run.store.platform(), run.store.id(),
                run.walker.kind(), run.walker.api(), "sync:" + run.key() + "/page-" + run.pages, rejectsFile(run));
        DropInputs.bind(exchange, input);
        m.setBody(read.fresh());
    }

    private Path rejectsFile(SyncRun run) {
        return rejectsDir.resolve(run.store.id()).resolve(run.walker.surface() + ".rejects.ndjson");
    }

    /**
     * After the surface's backfill: when it read the store's records, the run goes on from its start (less the
     * overlap) by keyset, so what changed while the backfill ran is read now, and that start is saved as the
     * watermark once every record the backfill read is committed; otherwise the run pages from the beginning.
     * Either way the run's summary carries the backfill's note.
     */
    @SuppressWarnings("unchecked")
    public void backfilled(Exchange exchange) throws InterruptedException {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        exchange.removeProperty(BACKFILL);
        Instant from = exchange.getProperty(BACKFILLED_FROM, Instant.class);
        CompletableFuture<Backfilled> settling = exchange.getProperty(BACKFILL_SETTLING, CompletableFuture.class);
        exchange.removeProperty(BACKFILL_SETTLING);
        SyncRun next = run;
        if (from != null) {
            if (settling == null) {
                throw new IllegalStateException("the backfill " + run.walker.surface() + " answered " + BACKFILLED_FROM
                        + " without " + BACKFILL_SETTLING);
            }
            Duration overlap = surfaces.overlap(run.store);
            SyncState reached = new SyncState(from.minus(overlap), java.util.Set.of(), true);
            next = new SyncRun(run.store, run.walker, reached, run.started, run.readAhead);
            next.maxLanes = run.maxLanes;
            settleBackfill(next, reached, settling);
            Instant since = next.begin(() -> overlap);
            active.put(next.key(), next);
            exchange.setProperty(RUN, next);
            status.running(next);
            LOG.info("sync {}: backfilled, incremental run from {}", next.key(), since);
        }
        next.note = exchange.getProperty(BACKFILL_NOTE, String.class);
        for (String answer : new String[] {BACKFILLED_FROM, BACKFILL_NOTE, REJECTS_FILE}) {
            exchange.removeProperty(answer);
        }
    }

    /**
     * A backfill whose last records are still being committed counts as the run's first page: held in its
     * read-ahead, so the run ends only after it, and settled first, so no page's watermark is saved before the
     * backfill's own. Until it settles nothing is saved: a kill before then leaves the store without a watermark,
     * and the next run backfills again. Records the run's pages bring meanwhile may reach the graph before the
     * backfill's older copies of them; those are then stale and discarded by their versions.
     */
    private void settleBackfill(SyncRun run, SyncState reached, CompletableFuture<Backfilled> settling)
            throws InterruptedException {
        run.readAhead.hold(0);
        CompletableFuture<Void> settled = new CompletableFuture<>();
        run.pagesSettled = settled;
        settling.whenComplete((backfilled, failure) -> {
            try {
                if (failure != null) {
                    run.readAhead.fail(failure instanceof java.util.concurrent.CompletionException && failure.getCause()
                            != null ? failure.getCause() : failure);
                } else {
                    synchronized (run) {
                        states.save(run.store.id(), run.walker.surface(), reached);
                        run.records += backfilled.records();
                        backfilled.events().forEach((type, n) -> run.events.merge(type, n, Long::sum));
                    }
                }
            } catch (RuntimeException e) {
                run.readAhead.fail(e);
            } finally {
                run.readAhead.release(0);
                settled.complete(null);
            }
        });
    }

    /** False once an earlier page of the run failed to commit: the pages queued behind it are skipped. */
    public boolean pageWanted(Exchange exchange) {
        return !exchange.getProperty(RUN, SyncRun.class).readAhead.failed();
    }

    /**
     * Once the page's records are mapped and handed to the graph writer: the writer counts the page and moves
     * the watermark when the page's last batch commits, while this thread maps the next page. A page that
     * fails to commit (or whose summary fails) fails the run; either way it then leaves the read-ahead.
     *
     * <p>Pages settle in the order they were handed on. A page with nothing to commit (a keyset page after a
     * snapshot that reads only what the snapshot read) settles at once, on this thread: saved then, its watermark
     * vouched for the pages before it while the graph writer still held their batches, and a kill in between lost
     * them for good (SyncCrashIT, CI run 65: 999 of 12,000 BigCommerce customers, the watermark at the store's last).
     */
    public void commitWhenSettled(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        SyncRun.PageInFlight page = exchange.getProperty(PAGE, SyncRun.PageInFlight.class);
        DropInput input = exchange.getProperty(com.commerceidentity.drop.IngestHeaders.DROP_INPUT, DropInput.class);
        CompletableFuture<Void> earlierPages = run.pagesSettled;
        CompletableFuture<Void> thisPage = new CompletableFuture<>();
        run.pagesSettled = thisPage;
        input.whenSettled(failure -> earlierPages.whenComplete((settled, ignored) -> {
            try {
                if (failure != null) {
                    run.readAhead.fail(failure);
                } else if (!run.readAhead.failed()) {
                    // a page before this one failed: its batches were already queued, but the watermark stays
                    pageCommitted(run, page, input);
                }
            } catch (RuntimeException e) {
                run.readAhead.fail(e);
            } finally {
                run.readAhead.release(page.bytes());
                thisPage.complete(null);
            }
        }));
    }

    /** After the page is in the graph: save the watermark it reached; a page paging stalled at ends the run. */
    private void pageCommitted(SyncRun run, SyncRun.PageInFlight page, DropInput input) {
        // Pages settle in the order handed on (commitWhenSettled), but on whichever thread completed them (the graph
        // writer's, or the page thread's for a page with nothing to commit): the count and the save go together.
        synchronized (run) {
            run.committed(page, input.rejectedCount(), input.eventCounts());
            if (run.walker.incremental()) {
                states.save(run.store.id(), run.walker.surface(), run.state);
            }
        }
        logProgress(run);
        if (page.stalled() != null) {
            throw new IllegalStateException(page.stalled());
        }
    }

    /** A page that did not commit ends the run: the watermark stays where the page before it left it. */
    public void pageFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getProperty(RUN, SyncRun.class).readAhead.fail(
                cause != null ? cause : new IllegalStateException("a page of the run failed to commit"));
    }

    /** Committed, failed or skipped: the page no longer counts against the read-ahead. */
    public void pageDone(Exchange exchange) {
        SyncRun.PageInFlight page = exchange.getProperty(PAGE, SyncRun.PageInFlight.class);
        exchange.getProperty(RUN, SyncRun.class).readAhead.release(page.bytes());
    }

    /** After the last page is fetched: returns once every page is committed, or throws why one was not. */
    public void awaitCommitted(Exchange exchange) throws InterruptedException {
        exchange.getProperty(RUN, SyncRun.class).readAhead.awaitDrained();
    }

    public void failed(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (run == null) {
            return;
        }
        // requests still waiting for a slot are not sent for a run that is over
        run.window.close();
        run.failed(cause);
    }

    public void finish(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        if (run == null) {
            return;
        }
        run.window.close();
        try {
            // A fetch that failed leaves the pages before it queued: they still commit before the run ends,
            // so no later run can overtake them and the watermark reflects all they brought.
            String notDrained;
            try {
                run.readAhead.awaitIdle();
                notDrained = null;
            } catch (IllegalStateException e) {
                notDrained = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                notDrained = "interrupted while the pages fetched ahead were being committed";
            }
            if (run.end(notDrained)) {
                states.save(run.store.id(), run.walker.surface(), run.state);
            }
            run.finished = clock.instant();
            Map<String, Object> summary = run.summary(run.finished);
            boolean quietRepeat = status.finished(run, summary);
            if (run.outcome == SyncOutcome.FAILED && !exchange.getContext().isStopping()) {
                retries.failed(run.store.id(), run.walker.surface());
            } else if (run.outcome == SyncOutcome.COMPLETED) {
                retries.completed(run.store.id(), run.walker.surface());
            }
            if (run.outcome == SyncOutcome.COMPLETED && run.walker.kind() == com.commerceidentity.model.Kind.STAFF) {
                // A staff run ends by deleting the staff the store no longer lists (direct:sync-reconcile).
                exchange.setProperty(DELETES, true);
                exchange.getMessage().setHeader(StoreCalls.STORE_ID, run.store.id());
                exchange.getMessage().setHeader(SURFACE, run.walker.surface());
            }
            if (run.outcome == SyncOutcome.FAILED) {
                LOG.warn("sync {} failed: {} {}", run.key(), run.message, summary);
            } else if (run.outcome == SyncOutcome.UNAVAILABLE) {
                if (!quietRepeat) {
                    LOG.warn("sync {}: surface unavailable on this store ({}); it is skipped until that changes,"
                            + " or switch it off with stores.{}.sync.{}.enabled=false", run.key(), run.message,
                            run.store.id(), run.walker.surface());
                }
            } else {
                LOG.info("sync {} {}", run.key(), summary);
            }
        } finally {
            active.remove(run.key());
            exchange.removeProperty(RUN);
            if (exchange.getContext().isStopping() && run.outcome != SyncOutcome.COMPLETED) {
                leases.handOver(run.store.id(), run.walker.surface());
            } else {
                leases.release(run.store.id(), run.walker.surface());
            }
        }
    }

    /** Puts a page request on the message as {@code direct:store-call} takes it. */
    static void prepare(Message m, String storeId, PageRequest r) {
        m.setHeader(StoreCalls.STORE_ID, storeId);
        m.setHeader(Exchange.HTTP_METHOD, r.method());
        m.setHeader(Exchange.HTTP_PATH, r.path());
        if (r.query() == null) {
            m.removeHeader(Exchange.HTTP_QUERY);
        } else {
            m.setHeader(Exchange.HTTP_QUERY, r.query());
        }
        m.setHeader(StoreCalls.BUDGET_COST, r.cost());
        if (r.body() != null) {
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        m.setBody(r.body());
    }

    private void logProgress(SyncRun run) {
        Instant now = clock.instant();
        Instant last = lastProgressLog.get(run.key());
        if (last != null && Duration.between(last, now).compareTo(PROGRESS_EVERY) < 0) {
            return;
        }
        lastProgressLog.put(run.key(), now);
        Map<String, Object> s = run.summary(now);
        if (s.containsKey("percent")) {
            LOG.info("sync {}: {} records, {}%{}", run.key(), run.records, s.get("percent"),
                    s.containsKey("etaSeconds") ? ", about " + s.get("etaSeconds") + " s left" : "");
        } else {
            LOG.info("sync {}: {} records so far", run.key(), run.records);
        }
    }


    static Map<String, String> headers(Message m) {
        Map<String, String> out = new HashMap<>();
        m.getHeaders().forEach((k, v) -> {
            if (v != null) {
                out.put(k, v.toString());
            }
        });
        return out;
    }
}
