package com.commerceidentity.sync;

import com.commerceidentity.drop.DropInput;
import com.commerceidentity.drop.DropInputs;
import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.model.Surface;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * <p>The request for page n+1 follows from page n alone (the platform's cursor, or the keyset after page n's
 * newest record), so {@link #readPage} decides it and the route goes on fetching while earlier pages are
 * ingested, at most {@code app.sync.read-ahead-bytes} of page bodies ahead ({@link ReadAhead}). Pages are
 * mapped and committed one after another in fetch order (page n+1 is mapped while page n is in the graph), and
 * the graph writer saves the watermark a page reached once that page's last batch is committed
 * ({@link #commitWhenSettled}), never one a page fetched ahead reached. When a page fails to commit, the pages
 * queued behind it are skipped.
 */
public class SyncRuns {
    public static final String SURFACE = "syncSurface";
    static final String RUN = "syncRun";
    static final String MORE = "syncMore";
    static final String PAGE = "syncPage";
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final int MALFORMED_RETRIES = 3;
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

    public void start(Exchange exchange) {
        Message m = exchange.getMessage();
        String storeId = m.getHeader(StoreCalls.STORE_ID, String.class);
        String surface = m.getHeader(SURFACE, String.class);
        StoreConfig store = stores.get(storeId).orElseThrow(() -> new IllegalArgumentException(
                "no store '" + storeId + "' is configured"));
        SurfaceWalker walker = surfaces.walker(store, surface);
        SyncState saved = states.load(storeId, surface);
        CamelContext camel = exchange.getContext();
        SyncRun run = new SyncRun(store, walker, saved, clock.instant(),
                new ReadAhead(readAheadBytes, commitTimeoutMillis, camel::isStopping));
        if (active.putIfAbsent(run.key(), run) != null) {
            LOG.info("sync {}: a run is still going, this trigger is skipped", run.key());
            exchange.setProperty(MORE, false);
            return;
        }
        Instant since = null;
        if (walker.incremental() && saved.watermark() != null) {
            Duration overlap = surfaces.overlap(store);
            since = saved.watermark().minus(overlap);
            run.state = overlap.isZero() ? saved : new SyncState(since, Set.of(), saved.backfillDone());
            run.readState = run.state;
        }
        run.request = walker.page(since, offset(walker, run.state));
        exchange.setProperty(RUN, run);
        exchange.setProperty(MORE, true);
        status.running(run);
        LOG.info("sync {}: {} from {}", run.key(), saved.backfillDone() ? "incremental run" : "backfill",
                since == null ? "the beginning" : since);
        prepare(exchange, run);
    }

    /**
     * Reads the fetched page; the body becomes the page's records for the ingest pipeline, and the exchange
     * property {@value #PAGE} what committing it means. Waits while the pages read ahead fill the read-ahead.
     */
    public void readPage(Exchange exchange) throws InterruptedException {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        Message m = exchange.getMessage();
        exchange.removeProperty(PAGE);
        run.retries += Math.max(0, exchange.getProperty(StoreCalls.ATTEMPTS, 1, Integer.class) - 1);
        run.rateLimited += exchange.getProperty(StoreCalls.RATE_LIMITED, 0, Integer.class);
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        run.pageRecords = List.of();
        String body = m.getBody(String.class);
        try {
            if (code == 404 || code == 403) {
                throw new SurfaceUnavailableException(run.walker.surface() + " answered HTTP " + code);
            }
            if (code < 200 || code >= 300) {
                throw new IllegalStateException(run.request.method() + " " + run.request.path() + " answered HTTP "
                        + code + ": " + abbreviate(body));
            }
            run.page = run.walker.read(run.request, body, headers(m));
            run.malformedInARow = 0;
        } catch (MalformedPageException e) {
            run.malformedInARow++;
            if (run.malformedInARow > MALFORMED_RETRIES) {
                throw new IllegalStateException(e.getMessage() + " (" + MALFORMED_RETRIES + " re-fetches did not help)", e);
            }
            LOG.warn("sync {}: {}; fetching the page again", run.key(), e.getMessage());
            m.setBody(List.of());
            return;
        }
        run.pages++;
        if (run.expected == null && run.page.total() != null) {
            run.expected = run.page.total();
            run.readBeforeExpected = run.records;
        }
        run.pageRecords = run.page.records();
        List<RawRecord> fresh = new ArrayList<>();
        long line = run.lines;
        for (JsonNode record : run.pageRecords) {
            line++;
            if (!alreadyRead(run, record)) {
                fresh.add(RawRecord.ok(line, record));
            }
        }
        run.lines = line;
        String stalled = decideNext(exchange, run);
        long bytes = body == null ? 0 : body.length();
        run.readAhead.hold(bytes);
        exchange.setProperty(PAGE, new SyncRun.PageInFlight(bytes, fresh.size(), run.readState, stalled));
        DropInput input = new DropInput(UUID.randomUUID().toString(), run.store.platform(), run.store.id(),
                run.walker.kind(), surfaceOf(run.walker), "sync:" + run.key() + "/page-" + run.pages,
                rejectsDir.resolve(run.store.id()).resolve(run.walker.surface() + ".rejects.ndjson"));
        DropInputs.bind(exchange, input);
        m.setBody(fresh);
    }

    /**
     * The watermark this page leads to and the request for the next page (or none: the run ends after this one).
     *
     * @return why paging cannot go on past this page, or null
     */
    private static String decideNext(Exchange exchange, SyncRun run) {
        SyncState before = run.readState;
        run.readState = run.walker.incremental() ? advance(run, before) : before;
        String stalled = null;
        if (run.page.last() || run.pageRecords.isEmpty()) {
            run.request = null;
        } else if (run.page.next() != null) {
            run.request = run.page.next();
        } else if (run.readState.equals(before)) {
            // A full page that moved nothing: more records share one instant than a page holds and the API
            // cannot offset past them. Stop rather than loop, once this page is in; the summary says why.
            stalled = "paging made no progress at " + before.watermark() + " ("
                    + before.seenAtWatermark().size() + " records share that instant)";
            run.request = null;
        } else {
            run.request = run.walker.page(run.readState.watermark(), offset(run.walker, run.readState));
        }
        exchange.setProperty(MORE, run.request != null);
        return stalled;
    }

    /** The request decided by {@link #readPage}, on the message of the next fetch (none after the last page). */
    public void prepareNext(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        if (run.request != null) {
            prepare(exchange, run);
        }
    }

    /** False once an earlier page of the run failed to commit: the pages queued behind it are skipped. */
    public boolean pageWanted(Exchange exchange) {
        return !exchange.getProperty(RUN, SyncRun.class).readAhead.failed();
    }

    /**
     * Once the page's records are mapped and handed to the graph writer: the writer counts the page and moves
     * the watermark when the page's last batch commits, while this thread maps the next page. A page that
     * fails to commit (or whose summary fails) fails the run; either way it then leaves the read-ahead.
     */
    public void commitWhenSettled(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        SyncRun.PageInFlight page = exchange.getProperty(PAGE, SyncRun.PageInFlight.class);
        DropInput input = exchange.getProperty(com.commerceidentity.drop.IngestHeaders.DROP_INPUT, DropInput.class);
        input.whenSettled(failure -> {
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
            }
        });
    }

    /** After the page is in the graph: count it and move the watermark to where this page, not a later one, reached. */
    private void pageCommitted(SyncRun run, SyncRun.PageInFlight page, DropInput input) {
        run.records += page.fresh();
        run.rejected += input.rejectedCount();
        synchronized (run.events) {
            input.eventCounts().forEach((type, n) -> run.events.merge(type, n, Long::sum));
        }
        run.state = page.reaches();
        if (run.walker.incremental()) {
            states.save(run.store.id(), run.walker.surface(), run.state);
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
        if (root(cause) instanceof SurfaceUnavailableException unavailable) {
            run.outcome = "unavailable";
            run.message = unavailable.getMessage();
        } else {
            run.outcome = "failed";
            run.message = cause == null ? "unknown error" : root(cause).getMessage();
        }
    }

    public void finish(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        if (run == null) {
            return;
        }
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
            if (notDrained != null && "running".equals(run.outcome)) {
                // a run that failed already keeps the cause it failed with
                run.outcome = "failed";
                run.message = notDrained;
            }
            if ("running".equals(run.outcome)) {
                run.outcome = "completed";
                if (run.walker.incremental() && !run.state.backfillDone()) {
                    run.state = new SyncState(run.state.watermark(), run.state.seenAtWatermark(), true);
                    states.save(run.store.id(), run.walker.surface(), run.state);
                }
            }
            run.finished = clock.instant();
            Map<String, Object> summary = run.summary(run.finished);
            boolean quietRepeat = status.finished(run, summary);
            if ("failed".equals(run.outcome) && !exchange.getContext().isStopping()) {
                retries.failed(run.store.id(), run.walker.surface());
            } else if ("completed".equals(run.outcome)) {
                retries.completed(run.store.id(), run.walker.surface());
            }
            if ("failed".equals(run.outcome)) {
                LOG.warn("sync {} failed: {} {}", run.key(), run.message, summary);
            } else if ("unavailable".equals(run.outcome)) {
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
        }
    }

    /** A record at the watermark that an earlier page (of this run or a committed one) already brought. */
    private boolean alreadyRead(SyncRun run, JsonNode record) {
        SyncState read = run.readState;
        if (!run.walker.incremental() || read.watermark() == null) {
            return false;
        }
        Instant at = run.walker.updatedAt(record);
        return at != null && at.equals(read.watermark()) && read.seenAtWatermark().contains(run.walker.id(record));
    }

    /** The newest update time on the page becomes the watermark; ids at exactly that time are remembered. */
    private static SyncState advance(SyncRun run, SyncState before) {
        Instant newest = before.watermark();
        for (JsonNode r : run.pageRecords) {
            Instant at = run.walker.updatedAt(r);
            if (at != null && (newest == null || at.isAfter(newest))) {
                newest = at;
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        if (newest != null && newest.equals(before.watermark())) {
            seen.addAll(before.seenAtWatermark());
        }
        for (JsonNode r : run.pageRecords) {
            Instant at = run.walker.updatedAt(r);
            if (at != null && at.equals(newest)) {
                seen.add(run.walker.id(r));
            }
        }
        return new SyncState(newest, seen, before.backfillDone());
    }

    /** Offsetting past remembered ids only pays when they fill much of a page; otherwise they are skipped. */
    private static int offset(SurfaceWalker walker, SyncState state) {
        int seen = state.seenAtWatermark().size();
        return seen >= walker.pageSize() / 2 ? seen : 0;
    }

    private static void prepare(Exchange exchange, SyncRun run) {
        prepare(exchange.getMessage(), run.store.id(), run.request);
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

    private static Surface surfaceOf(SurfaceWalker walker) {
        return switch (walker.surface()) {
            case "staff" -> Surface.GRAPHQL;
            case "scim-users" -> Surface.SCIM;
            default -> Surface.REST;
        };
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

    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r != null && r.getCause() != null && r.getCause() != r) {
            if (r instanceof SurfaceUnavailableException) {
                return r;
            }
            r = r.getCause();
        }
        return r;
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
