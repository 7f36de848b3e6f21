package com.commerceidentity.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * A cursor walk cut into consecutive time windows ("lanes") walked side by side, for APIs that page by cursor
 * and so cannot address page n before page n-1 is back ({@link SurfaceWalker#windowPage}).
 *
 * <p>One count of the range [from, until] ({@link SurfaceWalker#countRequest}) says how many lanes the store's
 * budget keeps busy ({@link LaneSizing}); the range is then cut into that many equal spans of time, and each lane
 * walks its window by its own cursor, one request in flight per lane. Cutting by time costs no further counts and
 * no round trips before the walk starts, but records are seldom spread evenly over time, so a lane that finishes
 * takes over the second half of the rest of the lane with the most left ({@link #rebalance}): the walk keeps as many
 * lanes busy as it started with until too little is left to share, and ends with its lanes, not its longest one.
 * Pages are handed on as they come back, whatever their lane, so no lane waits for the one before it;
 * {@link LaneMarks} keeps the saved watermark at the committed progress of the earliest lane not finished. The
 * read-ahead bounds the pages in flight or back and not yet committed, across all lanes ({@link #plan}).
 *
 * <p>Windows share their boundary instant (the upper bound is inclusive on some APIs): a record at the boundary
 * may be read by both lanes, and the one that hands it on second leaves it out ({@link LaneMarks#claim}). A lane
 * whose rest was taken over keeps its cursor, whose filter still reaches the old end: what it reads after its new
 * end is left out, and it ends there. The last lane has no upper bound, exactly like the single walk, so a record
 * changed while the run pages moves behind it and is read.
 */
final class Lanes {
    private static final int MALFORMED_RETRIES = 3;
    /**
     * A lane's rest is worth taking over when it holds this many pages or more: the lane giving it up reads on to the
     * end of the page it has out, so a take-over costs up to a page read twice.
     */
    static final int PAGES_WORTH_TAKING = 3;
    /** Take-overs per lane the walk started with, at most: each may cost a page read twice. */
    private static final int TAKEOVERS_PER_LANE = 8;

    private final SurfaceWalker walker;
    private final Instant from;
    private final Instant until;
    private final int wanted;
    /** Pages to read → lanes the store's budget can keep busy ({@link LaneSizing}). */
    private final java.util.function.LongToIntFunction fed;
    private boolean countOut;
    private long total = -1;
    private int k;
    private String givenUp;
    /** Null while counting; in time order. */
    private List<Lane> lanes;
    private int takeovers;
    private int named;
    /** Told of each take-over: the lane giving up its rest, then the lane taking it. */
    private BiConsumer<Lane, Lane> onTakeover = (donor, taker) -> { };
    /** Answers back and not handed on yet, of every lane, in the order they came back. */
    private final Deque<Arrived> ready = new ArrayDeque<>();

    /** One window and its walk. */
    static final class Lane {
        /** A name for the logs; lanes taken over are numbered on, so it says nothing of their order. */
        final int number;
        final Instant since;
        /** Null for the last lane: no upper bound. Moves earlier when a later lane takes over the rest. */
        Instant until;
        PageRequest next;
        boolean inFlight;
        boolean ended;
        /**
         * The last lane has read to the end while other lanes still walk: it reads on from there once they have
         * out what should be their last pages, so a record changed meanwhile (stamped after everything it read) is
         * read in this run.
         */
        boolean tail;
        int malformed;
        /** The newest update time of the lane's records back so far, within its window (since until then). */
        Instant arrivedTo;
        /** Records of the lane's pages back so far. */
        long arrivedRecords;
        /** Where the lane's pages handed on so far have read to (the run's thread only). */
        SyncState readTo;

        Lane(int number, Instant since, Instant until, PageRequest first) {
            this.number = number;
            this.since = since;
            this.until = until;
            this.next = first;
            this.arrivedTo = since;
        }

        @Override
        public String toString() {
            return "lane " + number + " [" + since + ", " + (until == null ? "…" : until) + "]";
        }
    }

    /**
     * An answer of a lane back and not handed on yet: its page, or why there is none (thrown when it is taken);
     * {@code last} when the lane has nothing after this page.
     */
    record Arrived(Lane lane, SyncRuns.Answer answer, Page page, Exception failure, boolean last) {
    }

    Lanes(SurfaceWalker walker, Instant from, Instant until, int wanted) {
        this(walker, from, until, wanted, pages -> Integer.MAX_VALUE);
    }

    /** @param fed how many lanes the store's budget keeps busy for that many pages ({@link LaneSizing}) */
    Lanes(SurfaceWalker walker, Instant from, Instant until, int wanted, java.util.function.LongToIntFunction fed) {
        this.fed = fed;
        this.walker = walker;
        this.from = from;
        this.until = until;
        this.wanted = wanted;
    }

    /** Why the run walks one cursor after all (counting failed, too few records), or null. */
    String givenUp() {
        return givenUp;
    }

    boolean walking() {
        return lanes != null;
    }

    /** Lanes the walk started with. */
    int count() {
        return k;
    }

    /** Lanes that took over the rest of another so far. */
    int takeovers() {
        return takeovers;
    }

    /** Records in the range by the count, or -1 before it is back. */
    long total() {
        return total;
    }

    /**
     * The count went out already, with the run's first page, over the range from the beginning: it is taken in when
     * it comes back, less the {@code before} records it holds that lie before this walk's range.
     */
    void countedAlongside(long before) {
        countOut = true;
        countedBefore = Math.max(0, before);
    }

    /** Records the count holds before the range ({@link #countedAlongside}). */
    private long countedBefore;

    /** {@code listener} is told of each take-over, before the new lane's first request is planned. */
    void onTakeover(BiConsumer<Lane, Lane> listener) {
        this.onTakeover = listener;
    }

    /**
     * The requests to send now: first the count; then, for each lane with nothing in flight, its next page, while
     * fewer than {@code ahead} pages are in flight or back and not handed on (the read-ahead's room, as for a
     * snapshot; the pages handed on and not committed have taken their share of it). Earlier lanes go first, so the
     * lane that holds the watermark back is never the one left waiting; one page is always let go, so a full
     * read-ahead still moves. Lanes that finished are replaced first ({@link #rebalance}).
     */
    List<SyncRun.Fetch> plan(int ahead) {
        List<SyncRun.Fetch> out = new ArrayList<>();
        if (givenUp != null) {
            return out;
        }
        if (lanes == null) {
            if (!countOut && total < 0) {
                countOut = true;
                out.add(new SyncRun.Fetch(0, walker.countRequest(from, until), null, until));
            }
            return out;
        }
        rebalance();
        int waiting = ready.size();
        for (Lane lane : lanes) {
            waiting += lane.inFlight ? 1 : 0;
        }
        // the walking lanes first: the last lane's read on from its end waits for what they send now
        for (boolean readOn : new boolean[] {false, true}) {
            if (readOn && othersHaveMoreThanTheirPageOut()) {
                break;
            }
            for (Lane lane : lanes) {
                if (lane.tail != readOn || lane.inFlight || lane.ended || lane.next == null) {
                    continue;
                }
                if (waiting >= Math.max(1, ahead)) {
                    return out;
                }
                waiting++;
                lane.inFlight = true;
                out.add(new SyncRun.Fetch(0, lane.next, lane, null));
            }
        }
        return out;
    }

    /**
     * While fewer lanes are walking than the budget keeps busy for what is left (at most as many as the walk started
     * with), the lane with the most left (by the records it has read per second of its window so far) gives the
     * second half of its rest to a new lane, as long as that rest is worth a take-over ({@link #PAGES_WORTH_TAKING})
     * and spans more than a second. The cut lies after every record the lane has back, so none it may hand on lies
     * beyond it.
     *
     * <p>The walk is cut by the first answers' round trip, and a store's first answers are its slowest (a new
     * connection, a cold cache): a Plus backfill at 250 ms started with 12 lanes where its bucket, once drained,
     * keeps 6 busy. The extra lanes spend the burst sooner, which is what they are for; replacing each as it
     * finished only read more pages twice (12 take-overs in a 100,000-customer backfill).
     */
    private void rebalance() {
        int walking = 0;
        for (Lane lane : lanes) {
            walking += lane.ended || lane.tail ? 0 : 1;
        }
        if (walking >= k) {
            return;
        }
        int wanted = Math.min(k, fed.applyAsInt(pagesLeft()));
        while (walking < wanted && takeovers < TAKEOVERS_PER_LANE * k) {
            Lane donor = null;
            Instant cut = null;
            double most = PAGES_WORTH_TAKING * (double) walker.pageSize();
            for (Lane lane : lanes) {
                Instant at = lane.ended || lane.tail ? null : halfOfRest(lane);
                double left = at == null ? 0 : left(lane);
                if (left >= most) {
                    donor = lane;
                    cut = at;
                    most = left;
                }
            }
            if (donor == null) {
                return;
            }
            Instant end = donor.until;
            Lane taker = new Lane(++named, cut, end, end == null ? walker.page(cut, 0) : walker.windowPage(cut, end));
            donor.until = cut;
            lanes.add(lanes.indexOf(donor) + 1, taker);
            takeovers++;
            walking++;
            onTakeover.accept(donor, taker);
        }
    }

    /**
     * Whether a lane still walking has more to read than a page it has out ({@link #left}). Until none has, the
     * last lane's read on from its end waits; then it goes out and comes back with their last pages instead of a
     * round trip after them (0.3 s of a Plus backfill at 250 ms). Should the guess be short, what changes after
     * that read is the next run's, as it is for any change after a run.
     */
    private boolean othersHaveMoreThanTheirPageOut() {
        for (Lane lane : lanes) {
            if (!lane.ended && !lane.tail && !(lane.inFlight && left(lane) <= walker.pageSize())) {
                return true;
            }
        }
        return false;
    }

    /** Pages the lanes still walking have left to read, by {@link #left}. */
    private long pagesLeft() {
        double records = 0;
        for (Lane lane : lanes) {
            records += lane.ended || lane.tail ? 0 : left(lane);
        }
        return (long) Math.ceil(records / walker.pageSize());
    }

    /** Where the lane's end lies: its upper bound, or the range's for the last lane. */
    private Instant end(Lane lane) {
        return lane.until != null ? lane.until : until;
    }

    /** The whole second halfway through the lane's rest, strictly after all it has back and before its end; or null. */
    private Instant halfOfRest(Lane lane) {
        long after = lane.arrivedTo.getEpochSecond() + 1;
        long end = end(lane).getEpochSecond();
        if (end - after < 1) {
            return null;
        }
        return Instant.ofEpochSecond(after + (end - after) / 2);
    }

    /**
     * Records the lane has still to read, by the rate it has read them per second of its window so far; by the
     * range's average while it has less than a page back to go by.
     */
    private double left(Lane lane) {
        double rest = seconds(lane.arrivedTo, end(lane));
        double behind = seconds(lane.since, lane.arrivedTo);
        double perSecond = lane.arrivedRecords >= walker.pageSize() && behind > 0
                ? lane.arrivedRecords / behind
                : total / Math.max(1.0, seconds(from, until));
        return rest * perSecond;
    }

    private static double seconds(Instant a, Instant b) {
        return Math.max(0, java.time.Duration.between(a, b).toMillis() / 1000.0);
    }

    /**
     * One answer is back (any lane's, the count, in whatever order): the count cuts the range; a page's cursor lets
     * its lane go on at once, and the page is ready to be handed on.
     *
     * @return what to log, or null
     */
    String arrived(SyncRun.Fetch fetch, SyncRuns.Answer answer, Exception failure) {
        if (fetch.lane() == null) {
            return counted(answer, failure);
        }
        Lane lane = fetch.lane();
        lane.inFlight = false;
        if (failure != null || answer.code() < 200 || answer.code() >= 300) {
            // the run fails (or finds the surface unavailable) when this answer is taken, after the pages back before it
            ready.add(new Arrived(lane, answer, null, failure, false));
            lane.ended = true;
            return null;
        }
        Page page;
        try {
            page = walker.read(fetch.request(), answer.body(), answer.headers());
        } catch (MalformedPageException e) {
            lane.malformed++;
            if (lane.malformed > MALFORMED_RETRIES) {
                ready.add(new Arrived(lane, answer, null, new IllegalStateException(e.getMessage() + " ("
                        + MALFORMED_RETRIES + " re-fetches did not help)", e), false));
                lane.ended = true;
                return null;
            }
            // lane.next is unchanged: the next plan sends the same request again
            return lane + ": " + e.getMessage() + "; fetching the page again";
        }
        lane.malformed = 0;
        boolean pastEnd = moveOn(lane, page);
        boolean atEnd = page.last() || page.records().isEmpty();
        if (atEnd && lane.until == null && !lane.tail && othersWalking(lane)) {
            lane.tail = true;
            lane.next = walker.page(lane.arrivedTo, 0);
            ready.add(new Arrived(lane, answer, page, null, false));
        } else if (atEnd || pastEnd) {
            lane.ended = true;
            lane.next = null;
            ready.add(new Arrived(lane, answer, page, null, true));
        } else if (page.next() != null) {
            lane.next = page.next();
            ready.add(new Arrived(lane, answer, page, null, false));
        } else {
            lane.ended = true;
            lane.next = null;
            ready.add(new Arrived(lane, answer, page, null, false));
            ready.add(new Arrived(lane, null, null, new IllegalStateException(lane + ": a page of "
                    + walker.surface() + " neither named the next page nor said it was the last"), false));
        }
        return null;
    }

    /**
     * Takes the page's records into the lane's progress as they came back.
     *
     * @return true when the page reaches past the lane's end (its rest was taken over): the lane has read its part
     */
    private boolean moveOn(Lane lane, Page page) {
        boolean pastEnd = false;
        for (JsonNode record : page.records()) {
            Instant at;
            try {
                at = walker.updatedAt(record);
            } catch (RuntimeException e) {
                // an unreadable time is the reader's reject to report, not a position
                continue;
            }
            if (at == null) {
                continue;
            }
            if (lane.until != null && at.isAfter(lane.until)) {
                pastEnd = true;
            } else if (at.isAfter(lane.arrivedTo)) {
                lane.arrivedTo = at;
            }
        }
        lane.arrivedRecords += page.records().size();
        return pastEnd;
    }

    private boolean othersWalking(Lane last) {
        for (Lane lane : lanes) {
            if (lane != last && !lane.ended) {
                return true;
            }
        }
        return false;
    }

    /** The answer back longest, of whichever lane; null while none is. */
    Arrived takeReady() {
        return ready.poll();
    }

    /** True once every lane's pages have been handed on. */
    boolean finished() {
        if (lanes == null || !ready.isEmpty()) {
            return false;
        }
        for (Lane lane : lanes) {
            if (!lane.ended || lane.inFlight) {
                return false;
            }
        }
        return true;
    }

    /** The lanes, in time order, once walking. */
    List<Lane> lanes() {
        return lanes;
    }

    private String counted(SyncRuns.Answer answer, Exception failure) {
        countOut = false;
        if (givenUp != null) {
            return null;
        }
        if (failure != null || answer.code() < 200 || answer.code() >= 300) {
            givenUp = "counting " + walker.surface() + " failed ("
                    + (failure != null ? failure.getMessage() : "HTTP " + answer.code()) + ")";
            return givenUp;
        }
        try {
            total = Math.max(0, walker.readCount(answer.body()) - countedBefore);
        } catch (RuntimeException e) {
            givenUp = "counting " + walker.surface() + " failed (" + e.getMessage() + ")";
            return givenUp;
        }
        // fewer than two pages a lane do not pay for cutting
        k = (int) Math.min(wanted, total / (2L * walker.pageSize()));
        long pages = (total + walker.pageSize() - 1) / walker.pageSize();
        int budgetFeeds = fed.applyAsInt(pages);
        if (budgetFeeds < k) {
            k = budgetFeeds;
            if (k < 2) {
                // the count cost a request from the same budget, and cutting would buy nothing more
                givenUp = total + " records from " + from + ": one cursor walk keeps up with the store's budget";
                return givenUp;
            }
        }
        if (k < 2) {
            givenUp = total + " records from " + from + ": one cursor walk";
            return givenUp;
        }
        return startWalking();
    }

    /** Cuts the range into {@code k} equal spans of whole seconds and starts every lane's walk. */
    private String startWalking() {
        long first = from.getEpochSecond();
        long span = until.getEpochSecond() - first;
        TreeSet<Instant> cuts = new TreeSet<>();
        for (int i = 1; i < k; i++) {
            Instant cut = Instant.ofEpochSecond(first + span * i / k);
            if (cut.isAfter(from) && cut.isBefore(until)) {
                cuts.add(cut);
            }
        }
        if (cuts.isEmpty()) {
            givenUp = "no instant inside [" + from + ", " + until + "] cuts " + walker.surface()
                    + " (the range is one second wide)";
            return givenUp;
        }
        k = cuts.size() + 1;
        lanes = new ArrayList<>();
        Instant since = from;
        for (Instant cut : cuts) {
            lanes.add(new Lane(++named, since, cut, walker.windowPage(since, cut)));
            since = cut;
        }
        lanes.add(new Lane(++named, since, null, walker.page(since, 0)));
        return k + " lanes over " + total + " records from " + from + ", cut every "
                + java.time.Duration.ofSeconds(span / k) + "; a lane that finishes takes over half of the rest of the"
                + " lane with the most left";
    }
}
