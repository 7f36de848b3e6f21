package com.commerceidentity.sync;

import com.commerceidentity.drop.DropInput;
import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.MappingException;
import com.commerceidentity.store.StoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
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
    /**
     * What is committed: the watermark saved after the last page that reached the graph. It never goes below the
     * watermark the run started from ({@link #floor}), even while the overlap re-reads records before it.
     */
    volatile SyncState state;
    /** The watermark saved when the run began: what is saved never moves back past it. */
    private SyncState floor = SyncState.START;
    /**
     * Where fetching has got to: what {@link #state} becomes once every page read so far is committed. While lanes
     * walk, each lane keeps its own ({@link Lanes.Lane#readTo}) and {@link LaneMarks} says what is saved.
     */
    SyncState readState;
    /** Pages read but not yet committed, bounded in bytes. */
    final ReadAhead readAhead;
    /** Where this run's pages wait in the commit queue ({@link SyncPagesQueue}); set once, by {@link #begin}. */
    SyncPagesQueue.Rank rank = SyncPagesQueue.Rank.BACKFILL;
    /** Completes once every page handed on so far has settled (committed or failed), in the order handed on. */
    volatile CompletableFuture<Void> pagesSettled = CompletableFuture.completedFuture(null);
    PageRequest request;
    Page page;
    List<JsonNode> pageRecords = List.of();
    /** The records of the page whose id and update time could be read: only these move the watermark. */
    private List<Readable> readable = List.of();
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
    /** What the surface's backfill did or why it did not (a run that pages on its own has none). */
    volatile String note;
    Instant finished;
    /**
     * The upper bound of the snapshot being paged by position (several pages at once), null while paging by
     * keyset or cursor. The snapshot is everything updated in [{@link #snapshotSince}, this]: it can only shrink
     * while we page (a record changed later leaves it), so any page reporting the first page's total is a slice
     * of the same list.
     */
    private Instant snapshotUntil;
    private Instant snapshotSince;
    /** The snapshot page to read next: answers come back in any order, and only this one may be read now. */
    private int snapshotNext;
    /** Pages in the snapshot, known from the first page; 0 before. */
    private int snapshotPages;
    private long snapshotTotal;
    /** The last page of the snapshot sent (read or not). */
    private int snapshotSent;
    /** The requests sent and not read yet. */
    final FetchWindow window = new FetchWindow();
    /** The size of the page read last, to size how far ahead to send by the room left in the read-ahead. */
    long lastPageBytes;
    /** How many lanes a cursor walk may be cut into ({@link Lanes}); 1: never cut. */
    int maxLanes = 1;
    /** The store's budget a request of this run is sent through, which sizes its lanes ({@link LaneSizing}); null: unknown. */
    java.util.function.Function<PageRequest, com.commerceidentity.budget.RateBudget> budgetOf = r -> null;
    /** The cursor walk cut into time windows, from the first page's answer on; null when walked as one. */
    Lanes lanes;
    /** Lanes the run walked (0: none), for its summary. */
    int laneCount;
    /** The names of the headers the answer read last put on the run's message. */
    java.util.Set<String> answerHeaders = java.util.Set.of();
    /** Times a lane that finished took over the rest of another ({@link Lanes#rebalance}), for its summary. */
    int laneTakeovers;
    /** The lane answer being read: its page was parsed when it came back (its cursor was needed then). */
    Lanes.Arrived laneTaken;
    /** What of the lanes is committed, which says the watermark to save; null until the lanes walk. */
    private LaneMarks laneMarks;
    /** Where lanes end: the snapshot's bound, before anything the platform can stamp from now on. */
    private Instant rangeUntil;

    SyncRun(StoreConfig store, SurfaceWalker walker, SyncState state, Instant started, ReadAhead readAhead) {
        this.store = store;
        this.walker = walker;
        this.state = state;
        this.readState = state;
        this.started = started;
        this.readAhead = readAhead;
    }

    /**
     * One page between fetch and commit: how many of its records are new to this run, the watermark it leads to
     * (for a lane's page, where it brings that lane), and, when paging cannot go past it, why the run fails once
     * it is committed.
     */
    record PageInFlight(long bytes, int fresh, SyncState reaches, String stalled, Lanes.Lane lane) {
    }

    /**
     * A page read: its records new to this run and its rejects, for the ingest pipeline, and what committing it
     * means.
     */
    record PageRead(List<RawRecord> fresh, PageInFlight inFlight) {
    }

    /**
     * One request sent: {@code number} is its page of the snapshot, 0 for a keyset or cursor request; a lane's page
     * names its {@code lane}, a count of the lanes' range the instant it counts up to ({@code countedTo}).
     */
    record Fetch(int number, PageRequest request, Lanes.Lane lane, Instant countedTo) {
        Fetch(int number, PageRequest request) {
            this(number, request, null, null);
        }
    }

    /** A record whose id and (on an incremental surface) update time could be read. */
    private record Readable(JsonNode json, String id, Instant at) {
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
        floor = saved;
        Instant since = null;
        if (walker.kind() == Kind.STAFF) {
            // Staff lists are short and their deletions must show after one run: every run lists them in full
            // (keyset paging from the beginning), so the run's listing is the whole list.
            state = new SyncState(null, Set.of(), saved.backfillDone());
            readState = state;
        } else if (walker.incremental() && saved.watermark() != null) {
            Duration overlap = overlapOfStore.get();
            since = saved.watermark().minus(overlap);
            // Reading starts the overlap before the watermark; what is saved stays at the watermark until the
            // pages read pass it, so runs that find nothing new never move it back.
            readState = overlap.isZero() ? saved : new SyncState(since, Set.of(), saved.backfillDone());
        }
        // Fixed for the whole run: pages of one run must never overtake each other in the queue. A backfill that
        // resumes from the watermark a failed one saved is still a backfill; a surface listed in full every run
        // (WooCommerce's customers) reads as much as one, and its changes come by webhook.
        rank = walker.kind() == Kind.STAFF ? SyncPagesQueue.Rank.STAFF
                : since != null && saved.backfillDone() ? SyncPagesQueue.Rank.CHANGES : SyncPagesQueue.Rank.BACKFILL;
        request = walker.page(since, offset(walker, readState));
        // Records changed in the last overlap (or while we page) are left to the keyset walk after the snapshot: the
        // bound lies before anything the platform can stamp from now on, even with its clock somewhat behind ours.
        Instant until = started.minus(overlapOfStore.get());
        rangeUntil = until;
        PageRequest first = walker.snapshotPage(since, until, 1);
        if (first != null && offset(walker, readState) == 0 && (since == null || since.isBefore(until))) {
            snapshotSince = since;
            snapshotUntil = until;
            snapshotNext = 1;
            request = first;
        }
        return since;
    }

    /**
     * The requests to send now, given how many pages may be sent ahead of the page to read next ({@code ahead}):
     * the snapshot's pages not sent yet up to that many beyond the next to read, once its first page told how many
     * there are; else the one request that follows from the page read last, once nothing sent is still unread.
     */
    List<Fetch> plan(int ahead) {
        if (lanes != null) {
            return lanes.plan(ahead);
        }
        if (snapshotUntil == null || snapshotPages == 0) {
            if (window.unread() > 0) {
                return List.of();
            }
            if (snapshotUntil == null) {
                Fetch count = countAlongsideFirstPage();
                return count == null ? List.of(new Fetch(0, request)) : List.of(new Fetch(0, request), count);
            }
            snapshotSent = snapshotNext;
            return List.of(new Fetch(snapshotNext, walker.snapshotPage(snapshotSince, snapshotUntil, snapshotNext)));
        }
        int last = Math.min(snapshotPages, snapshotNext + ahead - 1);
        List<Fetch> fetches = new ArrayList<>();
        for (int n = Math.max(snapshotNext, snapshotSent + 1); n <= last; n++) {
            fetches.add(new Fetch(n, walker.snapshotPage(snapshotSince, snapshotUntil, n)));
            snapshotSent = n;
        }
        return fetches;
    }

    /**
     * A backfill that may be cut into lanes counts its range while its first page is out, not after it: the lanes
     * start one round trip sooner (0.27 s of a Plus backfill at 250 ms). The count is of the whole range, the
     * first page's records too ({@link #mayCutIntoLanes} takes them off). It costs a request when the first page
     * turns out to be the last, once per backfill; incremental runs, mostly a page or two, count only when the first
     * page names a next one, and so do backfills on a budget one walk keeps up with ({@link LaneSizing#mayPay}).
     */
    private Fetch countAlongsideFirstPage() {
        if (countSentAlongside || pages > 0 || readState.watermark() != null || !cuttable()
                || walker.windowPage(rangeUntil, rangeUntil) == null) {
            return null;
        }
        PageRequest count = walker.countRequest(null, rangeUntil);
        com.commerceidentity.budget.RateBudget budget = budgetOf.apply(request);
        if (count == null || budget != null && !LaneSizing.mayPay(budget)) {
            // on a budget one walk keeps up with, the count would be sized by the first, slowest answers: Shopify's
            // standard bucket cut a 20,000-customer backfill in two and took 1.150 x its minimum, not 1.077
            return null;
        }
        countSentAlongside = true;
        countAlongsideOut = true;
        return new Fetch(0, count, null, rangeUntil);
    }

    /** A cursor walk of this run may be cut into lanes, whatever its pages turn out to hold. */
    private boolean cuttable() {
        return maxLanes >= 2 && snapshotUntil == null && walker.incremental() && walker.kind() != Kind.STAFF
                && rangeUntil != null;
    }

    /** The count went with the first page ({@link #countAlongsideFirstPage}): it is sent once. */
    private boolean countSentAlongside;
    /** The count sent with the first page is out and not yet handed to the lanes (or dropped). */
    private boolean countAlongsideOut;

    /**
     * The page to read next is to be fetched again, or the snapshot was given up: what was sent after it is not
     * read, and the next {@link #plan} sends from the page to read next.
     */
    void sendAgain() {
        window.giveUp();
        countAlongsideOut = false;
        snapshotSent = snapshotNext - 1;
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
        return read(new Fetch(0, request), code, body, headers);
    }

    /** Reads one answer; null when it is not to be read now (see {@link #sameSnapshot}). */
    PageRead read(Fetch fetch, int code, String body, Map<String, String> headers) {
        pageRecords = List.of();
        if (fetch.number() != 0 && (snapshotUntil == null || fetch.number() != snapshotNext)) {
            // fetched alongside a page that must be fetched again, or for a snapshot given up: never read out of order
            return null;
        }
        request = fetch.request();
        try {
            if (code == 404 || code == 403) {
                throw new SurfaceUnavailableException(walker.unavailable(code));
            }
            if (code < 200 || code >= 300) {
                throw new IllegalStateException(request.method() + " " + request.path() + " answered HTTP "
                        + code + ": " + abbreviate(body));
            }
            page = fetch.lane() != null ? laneTaken.page() : walker.read(request, body, headers);
            malformedInARow = 0;
            if (fetch.number() > 0 && !sameSnapshot(fetch.number())) {
                return null;
            }
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
        Lanes.Lane lane = fetch.lane();
        SyncState before = lane != null ? lane.readTo : readState;
        List<RawRecord> fresh = new ArrayList<>();
        List<Readable> good = new ArrayList<>(pageRecords.size());
        int freshGood = 0;
        long line = lines;
        int index = 0;
        for (JsonNode record : pageRecords) {
            line++;
            Object read = readable(record, line, index++);
            if (read instanceof DropInput.Reject reject) {
                fresh.add(RawRecord.rejected(record, reject));
                continue;
            }
            Readable r = (Readable) read;
            boolean again = alreadyRead(r, before);
            if (lane != null && lane.until != null && r.at().isAfter(lane.until)) {
                // past the lane's end: the lane that took over its rest reads it
                continue;
            }
            if (lane != null && !again && !laneMarks.claim(lane, r.at(), r.id())) {
                // the neighbouring lane handed it on at the cut they share; not this lane's progress either, as
                // that page may not be committed yet
                continue;
            }
            good.add(r);
            if (!again) {
                fresh.add(RawRecord.ok(line, record));
                freshGood++;
            }
        }
        readable = good;
        lines = line;
        String stalled = lane != null ? laneRead(lane) : decideNext(fetch.number());
        if (stalled == null && fetch.lane() == null && pages == 1) {
            mayCutIntoLanes(freshGood);
        }
        if (countAlongsideOut && lanes == null) {
            // no lanes after all (the first page was the last, or it cannot be cut): the walk reads on without it
            countAlongsideOut = false;
            window.giveUp();
        }
        long bytes = body == null ? 0 : body.length();
        lastPageBytes = bytes;
        return new PageRead(fresh, new PageInFlight(bytes, freshGood, lane != null ? lane.readTo : readState, stalled,
                lane));
    }

    /**
     * The record's id and update time, or, when either cannot be read (missing, wrong type, not a timestamp), the
     * reject it becomes: the run goes on without it and the watermark moves over the records around it.
     */
    private Object readable(JsonNode record, long line, int index) {
        String id = null;
        String field;
        String reason;
        try {
            id = walker.id(record);
            if (id == null || id.isBlank()) {
                throw new MappingException("id", "missing");
            }
            Instant at = null;
            if (walker.incremental()) {
                at = walker.updatedAt(record);
                if (at == null) {
                    throw new MappingException("updated-at", "missing");
                }
            }
            return new Readable(record, id, at);
        } catch (MappingException e) {
            field = e.field();
            reason = e.reason();
        } catch (RuntimeException e) {
            field = null;
            reason = String.valueOf(e.getMessage());
        }
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("platform", store.platform().id());
        where.put("store", store.id());
        where.put("surface", walker.surface());
        where.put("page", pages);
        where.put("index", index);
        if (id != null && !id.isBlank()) {
            where.put("id", id);
        }
        return new DropInput.Reject(line, field, reason, where);
    }

    /** False once the page read last was the run's last. */
    boolean more() {
        return snapshotUntil != null || request != null || lanes != null && !lanes.finished();
    }

    /** A lane's page read: its cursor was followed when it came back ({@link Lanes#arrived}). */
    private String laneRead(Lanes.Lane lane) {
        lane.readTo = advance(lane.readTo);
        laneMarks.handedOn(lane, laneTaken.last());
        request = null;
        return null;
    }

    /**
     * After the first page of a cursor walk, when more follow and the API can bound a walk by time and count it:
     * the rest of the range up to the snapshot's bound is counted and cut into lanes. The first page's own cursor is
     * kept to walk on as one should counting fail or find too few records.
     */
    private void mayCutIntoLanes(int firstPageFresh) {
        Instant from = readState.watermark();
        if (!cuttable() || request == null || from == null || !from.isBefore(rangeUntil)
                || walker.countRequest(from, rangeUntil) == null || walker.windowPage(from, rangeUntil) == null) {
            return;
        }
        com.commerceidentity.budget.RateBudget budget = budgetOf.apply(request);
        lanes = new Lanes(walker, from, rangeUntil, maxLanes,
                budget == null ? pages -> Integer.MAX_VALUE : pages -> LaneSizing.lanesFed(budget, pages));
        // The count starts at the first page's newest instant, so it counts that page's records there once more.
        long atFrom = readable.stream().filter(r -> from.equals(r.at())).count();
        beforeLanes = records + firstPageFresh - atFrom;
        if (countAlongsideOut) {
            // already out, over the range from the beginning: the first page's records before its newest instant
            // are in it as well
            lanes.countedAlongside(readable.size() - atFrom);
            countAlongsideOut = false;
        }
    }

    /** Records before the counted range: committed before the first page, and the first page's own. */
    private long beforeLanes;

    /**
     * One answer of the lanes came back, in whatever order.
     *
     * @return what to log, or null
     */
    String laneArrived(Fetch fetch, SyncRuns.Answer answer, Exception failure) {
        if (lanes == null) {
            return null;
        }
        if (answer != null) {
            fetched(answer.attempts(), answer.rateLimited());
        }
        boolean walking = lanes.walking();
        String said = lanes.arrived(fetch, answer, failure);
        if (lanes.givenUp() != null) {
            // the first page's cursor goes on; counts still out are not waited for
            window.giveUp();
            lanes = null;
            return said;
        }
        if (!walking && lanes.walking()) {
            laneCount = lanes.count();
            laneMarks = new LaneMarks(lanes.lanes(), readState);
            for (Lanes.Lane lane : lanes.lanes()) {
                lane.readTo = laneMarks.start(lane);
            }
            lanes.onTakeover((donor, taker) -> {
                laneMarks.takenOver(donor, taker);
                laneTakeovers++;
                taker.readTo = laneMarks.start(taker);
            });
            request = null;
            if (expected == null) {
                expected = lanes.total();
                readBeforeExpected = beforeLanes;
            }
        }
        return said;
    }

    /**
     * True when the page belongs to the snapshot the first page described. A page reporting another total means a
     * record left the snapshot (changed or deleted) and the positions after it moved: this page and those fetched
     * with it are dropped, and the run goes on by keyset from the last page read, which loses nothing.
     */
    private boolean sameSnapshot(int number) {
        Long total = walker.snapshotTotal(page, number);
        if (number == 1) {
            snapshotTotal = total == null ? 0 : total;
            snapshotPages = total == null ? 0 : (int) ((total + walker.pageSize() - 1) / walker.pageSize());
            return true;
        }
        if (total != null && walker.sameSnapshot(snapshotTotal, total)) {
            return true;
        }
        snapshotUntil = null;
        request = walker.page(readState.watermark(), offset(walker, readState));
        return false;
    }

    /**
     * The watermark this page leads to and the request for the next page (or none: the run ends after this one).
     *
     * @return why paging cannot go on past this page, or null
     */
    private String decideNext(int snapshotPage) {
        SyncState before = readState;
        readState = walker.incremental() ? advance(before) : before;
        if (snapshotPage > 0) {
            snapshotNext = snapshotPage + 1;
            if (snapshotNext > snapshotPages) {
                // The snapshot is read; what changed after its bound (or while we paged) follows by keyset, or, for
                // a list in full by position, whatever was listed after the snapshot's last page since.
                snapshotUntil = null;
                request = walker.incremental() ? walker.page(readState.watermark(), offset(walker, readState))
                        : walker.page(null, snapshotPages * walker.pageSize());
            }
            return null;
        }
        String stalled = null;
        if (page.last() || pageRecords.isEmpty()) {
            request = null;
        } else if (page.next() != null) {
            request = page.next();
        } else if (readState.equals(before)) {
            // A full page that moved nothing: more records share one instant than a page holds and the API
            // cannot offset past them, or none of its records had a readable time. Stop rather than loop, once
            // this page is in; the summary says why.
            stalled = readable.isEmpty()
                    ? "paging made no progress at " + before.watermark() + ": no record on a full page had a"
                            + " readable id and update time (" + pageRecords.size() + " rejects)"
                    : "paging made no progress at " + before.watermark() + " ("
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
        SyncState reached = inFlight.lane() == null ? inFlight.reaches()
                : laneMarks.committed(inFlight.lane(), inFlight.reaches());
        state = notBefore(floor, reached);
    }

    /** {@code reached}, unless it lies before the watermark the run started from (records in the overlap). */
    private static SyncState notBefore(SyncState floor, SyncState reached) {
        if (floor.watermark() == null || reached.watermark() == null) {
            return reached.watermark() == null && floor.watermark() != null ? floor : reached;
        }
        if (reached.watermark().isBefore(floor.watermark())) {
            return new SyncState(floor.watermark(), floor.seenAtWatermark(), reached.backfillDone());
        }
        if (reached.watermark().equals(floor.watermark())) {
            Set<String> seen = new LinkedHashSet<>(floor.seenAtWatermark());
            seen.addAll(reached.seenAtWatermark());
            return new SyncState(reached.watermark(), seen, reached.backfillDone());
        }
        return reached;
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
    private boolean alreadyRead(Readable record, SyncState read) {
        if (!walker.incremental() || read.watermark() == null) {
            return false;
        }
        return record.at().equals(read.watermark()) && read.seenAtWatermark().contains(record.id());
    }

    /**
     * The newest update time among the page's readable records becomes the watermark (its rejects move nothing);
     * ids at exactly that time are remembered.
     */
    private SyncState advance(SyncState before) {
        Instant newest = before.watermark();
        for (Readable r : readable) {
            if (newest == null || r.at().isAfter(newest)) {
                newest = r.at();
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        if (newest != null && newest.equals(before.watermark())) {
            seen.addAll(before.seenAtWatermark());
        }
        for (Readable r : readable) {
            if (r.at().equals(newest)) {
                seen.add(r.id());
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
