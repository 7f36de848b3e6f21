package com.commerceidentity.sync;

import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.model.Kind;
import com.commerceidentity.store.StoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One run of one surface of one store: where it is, how it moves on, and the figures its summary reports.
 *
 * <p>The request for page n+1 follows from page n alone (the platform's cursor, or the keyset after page n's
 * newest record), so {@link #read} decides it as soon as page n is fetched. Two watermarks move apart while
 * pages are in flight: {@link #readState}, where fetching has got to, and {@link #state}, what is committed;
 * a page carries the first to the second once it is in the graph ({@link #committed}). {@link SyncRuns} drives
 * this from the routes; nothing here knows Camel.
 */
final class SyncRun {
    private static final int MALFORMED_RETRIES = 3;

    final StoreConfig store;
    final SurfaceWalker walker;
    final Instant started;
    /** What is committed: the watermark saved after the last page that reached the graph. */
    volatile SyncState state;
    /** Where fetching has got to: what {@link #state} becomes once every page read so far is committed. */
    SyncState readState;
    /** Pages read but not yet committed, bounded in bytes. */
    final ReadAhead readAhead;
    PageRequest request;
    Page page;
    List<JsonNode> pageRecords = List.of();
    int malformedInARow;
    long pages;
    volatile long records;
    /** Records read so far, for the line numbers of rejects. */
    long lines;
    volatile long rejected;
    long retries;
    long rateLimited;
    Long expected;
    long readBeforeExpected;
    final Map<String, Long> events = new TreeMap<>();
    SyncOutcome outcome = SyncOutcome.RUNNING;
    String message;
    Instant finished;

    SyncRun(StoreConfig store, SurfaceWalker walker, SyncState state, Instant started, ReadAhead readAhead) {
        this.store = store;
        this.walker = walker;
        this.state = state;
        this.readState = state;
        this.started = started;
        this.readAhead = readAhead;
    }

    /**
     * One page between fetch and commit: how many of its records are new to this run, the watermark it leads to,
     * and, when paging cannot go past it, why the run fails once it is committed.
     */
    record PageInFlight(long bytes, int fresh, SyncState reaches, String stalled) {
    }

    /** A page read: its records new to this run, for the ingest pipeline, and what committing it means. */
    record PageRead(List<RawRecord> fresh, PageInFlight inFlight) {
    }

    String key() {
        return store.id() + "/" + walker.surface();
    }

    /**
     * Decides the first request: from the beginning, or, for an incremental surface that has run before, from
     * the saved watermark less the overlap.
     *
     * @return where the run reads from, or null for the beginning
     */
    Instant begin(Supplier<Duration> overlapOfStore) {
        SyncState saved = state;
        Instant since = null;
        if (walker.kind() == Kind.STAFF) {
            // Staff lists are short and their deletions must show after one run: every run lists them in full
            // (keyset paging from the beginning), so the run's listing is the whole list.
            state = new SyncState(null, Set.of(), saved.backfillDone());
            readState = state;
        } else if (walker.incremental() && saved.watermark() != null) {
            Duration overlap = overlapOfStore.get();
            since = saved.watermark().minus(overlap);
            state = overlap.isZero() ? saved : new SyncState(since, Set.of(), saved.backfillDone());
            readState = state;
        }
        request = walker.page(since, offset(walker, state));
        return since;
    }

    /** Counts what fetching the page took in the store's budget. */
    void fetched(int attempts, int rateLimitedAnswers) {
        retries += Math.max(0, attempts - 1);
        rateLimited += rateLimitedAnswers;
    }

    /**
     * Reads the fetched page, leaves out the records an earlier page already brought, and decides the request
     * for the next page ({@link #more}).
     *
     * @throws MalformedPageException when the page is to be fetched again (a bounded number of times in a row)
     */
    PageRead read(int code, String body, Map<String, String> headers) {
        pageRecords = List.of();
        try {
            if (code == 404 || code == 403) {
                throw new SurfaceUnavailableException(walker.surface() + " answered HTTP " + code);
            }
            if (code < 200 || code >= 300) {
                throw new IllegalStateException(request.method() + " " + request.path() + " answered HTTP "
                        + code + ": " + abbreviate(body));
            }
            page = walker.read(request, body, headers);
            malformedInARow = 0;
        } catch (MalformedPageException e) {
            malformedInARow++;
            if (malformedInARow > MALFORMED_RETRIES) {
                throw new IllegalStateException(e.getMessage() + " (" + MALFORMED_RETRIES + " re-fetches did not help)", e);
            }
            throw e;
        }
        pages++;
        if (expected == null && page.total() != null) {
            expected = page.total();
            readBeforeExpected = records;
        }
        pageRecords = page.records();
        List<RawRecord> fresh = new ArrayList<>();
        long line = lines;
        for (JsonNode record : pageRecords) {
            line++;
            if (!alreadyRead(record)) {
                fresh.add(RawRecord.ok(line, record));
            }
        }
        lines = line;
        String stalled = decideNext();
        long bytes = body == null ? 0 : body.length();
        return new PageRead(fresh, new PageInFlight(bytes, fresh.size(), readState, stalled));
    }

    /** False once the page read last was the run's last. */
    boolean more() {
        return request != null;
    }

    /**
     * The watermark this page leads to and the request for the next page (or none: the run ends after this one).
     *
     * @return why paging cannot go on past this page, or null
     */
    private String decideNext() {
        SyncState before = readState;
        readState = walker.incremental() ? advance(before) : before;
        String stalled = null;
        if (page.last() || pageRecords.isEmpty()) {
            request = null;
        } else if (page.next() != null) {
            request = page.next();
        } else if (readState.equals(before)) {
            // A full page that moved nothing: more records share one instant than a page holds and the API
            // cannot offset past them. Stop rather than loop, once this page is in; the summary says why.
            stalled = "paging made no progress at " + before.watermark() + " ("
                    + before.seenAtWatermark().size() + " records share that instant)";
            request = null;
        } else {
            request = walker.page(readState.watermark(), offset(walker, readState));
        }
        return stalled;
    }

    /** After the page is in the graph: count it and move the watermark to where this page, not a later one, reached. */
    void committed(PageInFlight inFlight, long rejectedRecords, Map<String, Long> eventCounts) {
        records += inFlight.fresh();
        rejected += rejectedRecords;
        synchronized (events) {
            eventCounts.forEach((type, n) -> events.merge(type, n, Long::sum));
        }
        state = inFlight.reaches();
    }

    void failed(Throwable cause) {
        if (root(cause) instanceof SurfaceUnavailableException unavailable) {
            outcome = SyncOutcome.UNAVAILABLE;
            message = unavailable.getMessage();
        } else {
            outcome = SyncOutcome.FAILED;
            message = cause == null ? "unknown error" : root(cause).getMessage();
        }
    }

    /**
     * Settles the outcome once no page is in flight: a run still going completes, unless the pages it fetched
     * could not all be committed ({@code notDrained} says why).
     *
     * @return true when completing it ends the backfill: the watermark is then to be saved as such
     */
    boolean end(String notDrained) {
        if (notDrained != null && outcome == SyncOutcome.RUNNING) {
            // a run that failed already keeps the cause it failed with
            outcome = SyncOutcome.FAILED;
            message = notDrained;
        }
        if (outcome == SyncOutcome.RUNNING) {
            outcome = SyncOutcome.COMPLETED;
            if (walker.incremental() && !state.backfillDone()) {
                state = new SyncState(state.watermark(), state.seenAtWatermark(), true);
                return true;
            }
        }
        return false;
    }

    /** A record at the watermark that an earlier page (of this run or a committed one) already brought. */
    private boolean alreadyRead(JsonNode record) {
        SyncState read = readState;
        if (!walker.incremental() || read.watermark() == null) {
            return false;
        }
        Instant at = walker.updatedAt(record);
        return at != null && at.equals(read.watermark()) && read.seenAtWatermark().contains(walker.id(record));
    }

    /** The newest update time on the page becomes the watermark; ids at exactly that time are remembered. */
    private SyncState advance(SyncState before) {
        Instant newest = before.watermark();
        for (JsonNode r : pageRecords) {
            Instant at = walker.updatedAt(r);
            if (at != null && (newest == null || at.isAfter(newest))) {
                newest = at;
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        if (newest != null && newest.equals(before.watermark())) {
            seen.addAll(before.seenAtWatermark());
        }
        for (JsonNode r : pageRecords) {
            Instant at = walker.updatedAt(r);
            if (at != null && at.equals(newest)) {
                seen.add(walker.id(r));
            }
        }
        return new SyncState(newest, seen, before.backfillDone());
    }

    /** Offsetting past remembered ids only pays when they fill much of a page; otherwise they are skipped. */
    private static int offset(SurfaceWalker walker, SyncState state) {
        int seen = state.seenAtWatermark().size();
        return seen >= walker.pageSize() / 2 ? seen : 0;
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

    /** What the run reports, running or finished: for {@code GET /stores/{id}/status} and the logs. */
    Map<String, Object> summary(Instant now) {
        return SyncRunSummary.of(this, now);
    }
}
