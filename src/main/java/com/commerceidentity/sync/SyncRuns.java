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
 * newest record), so {@link #readPage} decides it and the route fetches it while page n is being ingested;
 * {@link #pageCommitted} then saves the watermark page n reached, never one the page fetched ahead reached.
 */
public class SyncRuns {
    public static final String SURFACE = "syncSurface";
    static final String RUN = "syncRun";
    static final String MORE = "syncMore";
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final int MALFORMED_RETRIES = 3;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final StoreRegistry stores;
    private final SyncSurfaces surfaces;
    private final SyncStateStore states;
    private final SyncStatus status;
    private final Path rejectsDir;
    private final Clock clock;
    private final Map<String, SyncRun> active = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastProgressLog = new ConcurrentHashMap<>();

    public SyncRuns(StoreRegistry stores, SyncSurfaces surfaces, SyncStateStore states, SyncStatus status,
                    Path rejectsDir, Clock clock) {
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
        SyncRun run = new SyncRun(store, walker, saved, clock.instant());
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
        }
        run.request = walker.page(since, offset(walker, run.state));
        exchange.setProperty(RUN, run);
        exchange.setProperty(MORE, true);
        status.running(run);
        LOG.info("sync {}: {} from {}", run.key(), saved.backfillDone() ? "incremental run" : "backfill",
                since == null ? "the beginning" : since);
        prepare(exchange, run);
    }

    /** Reads the fetched page; the body becomes the page's records for the ingest pipeline. */
    public void readPage(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        Message m = exchange.getMessage();
        run.retries += Math.max(0, exchange.getProperty(StoreCalls.ATTEMPTS, 1, Integer.class) - 1);
        run.rateLimited += exchange.getProperty(StoreCalls.RATE_LIMITED, 0, Integer.class);
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        run.refetch = false;
        run.pageRecords = List.of();
        try {
            if (code == 404 || code == 403) {
                throw new SurfaceUnavailableException(run.walker.surface() + " answered HTTP " + code);
            }
            if (code < 200 || code >= 300) {
                throw new IllegalStateException(run.request.method() + " " + run.request.path() + " answered HTTP "
                        + code + ": " + abbreviate(m.getBody(String.class)));
            }
            run.page = run.walker.read(run.request, m.getBody(String.class), headers(m));
            run.malformedInARow = 0;
        } catch (MalformedPageException e) {
            run.malformedInARow++;
            if (run.malformedInARow > MALFORMED_RETRIES) {
                throw new IllegalStateException(e.getMessage() + " (" + MALFORMED_RETRIES + " re-fetches did not help)", e);
            }
            LOG.warn("sync {}: {}; fetching the page again", run.key(), e.getMessage());
            run.refetch = true;
        }
        List<RawRecord> fresh = new ArrayList<>();
        if (!run.refetch) {
            run.pages++;
            if (run.expected == null && run.page.total() != null) {
                run.expected = run.page.total();
                run.readBeforeExpected = run.records;
            }
            run.pageRecords = run.page.records();
            long line = run.records;
            for (JsonNode record : run.pageRecords) {
                line++;
                if (!alreadyCommitted(run, record)) {
                    fresh.add(RawRecord.ok(line, record));
                }
            }
            decideNext(exchange, run);
        }
        run.pageFresh = fresh.size();
        DropInput input = new DropInput(UUID.randomUUID().toString(), run.store.platform(), run.store.id(),
                run.walker.kind(), surfaceOf(run.walker), "sync:" + run.key() + "/page-" + run.pages,
                rejectsDir.resolve(run.store.id()).resolve(run.walker.surface() + ".rejects.ndjson"));
        DropInputs.bind(exchange, input);
        m.setBody(fresh);
    }

    /**
     * The watermark this page leads to and the request for the next page (or none: the run ends after this one).
     * A malformed page leaves both as they were: the same request is sent again.
     */
    private static void decideNext(Exchange exchange, SyncRun run) {
        SyncState before = run.state;
        run.nextState = run.walker.incremental() ? advance(run, before) : before;
        if (run.page.last() || run.pageRecords.isEmpty()) {
            run.request = null;
        } else if (run.page.next() != null) {
            run.request = run.page.next();
        } else if (run.nextState.equals(before)) {
            // A full page that moved nothing: more records share one instant than a page holds and the API
            // cannot offset past them. Stop rather than loop, once this page is in; the summary says why.
            run.stalled = "paging made no progress at " + before.watermark() + " ("
                    + before.seenAtWatermark().size() + " records share that instant)";
            run.request = null;
        } else {
            run.request = run.walker.page(run.nextState.watermark(), offset(run.walker, run.nextState));
        }
        exchange.setProperty(MORE, run.request != null);
    }

    /** The request decided by {@link #readPage}, on the message of the fetch that runs alongside the ingest. */
    public void prepareNext(Exchange exchange) {
        prepare(exchange, exchange.getProperty(RUN, SyncRun.class));
    }

    /** After the page is in the graph: count it and move the watermark to where this page, not the next, reached. */
    public void pageCommitted(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        DropInput input = exchange.getProperty(com.commerceidentity.drop.IngestHeaders.DROP_INPUT, DropInput.class);
        if (run.refetch) {
            return;
        }
        run.records += run.pageFresh;
        run.rejected += input.rejectedCount();
        input.eventCounts().forEach((type, n) -> run.events.merge(type, n, Long::sum));
        run.state = run.nextState;
        if (run.walker.incremental()) {
            states.save(run.store.id(), run.walker.surface(), run.state);
        }
        logProgress(run);
        if (run.stalled != null) {
            throw new IllegalStateException(run.stalled);
        }
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

    private boolean alreadyCommitted(SyncRun run, JsonNode record) {
        if (!run.walker.incremental() || run.state.watermark() == null) {
            return false;
        }
        Instant at = run.walker.updatedAt(record);
        return at != null && at.equals(run.state.watermark())
                && run.state.seenAtWatermark().contains(run.walker.id(record));
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
