package com.commerceidentity.sync;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cursor walk cut into consecutive time windows ("lanes") walked side by side, for APIs that page by cursor
 * and so cannot address page n before page n-1 is back ({@link SurfaceWalker#windowPage}).
 *
 * <p>First the range [from, until] is counted ({@link SurfaceWalker#countRequest}) and cut where the counts say
 * each window holds about total ÷ k records: the count at an instant is interpolated from the counts known around
 * it, a few rounds at most, one count per cut and round (usually one round for a store whose sign-ups are spread
 * out). Then each lane walks its window by its own cursor, one request in flight per lane. Pages are handed
 * on as they come back, whatever their lane, so no lane waits for the one before it and the walk goes at the pace
 * of all lanes together; {@link LaneMarks} keeps the saved watermark at the committed progress of the earliest lane
 * not finished. The read-ahead bounds the pages in flight or back and not yet committed, across all lanes
 * ({@link #plan}).
 *
 * <p>Windows share their boundary instant (the upper bound is inclusive on some APIs): a record at the boundary
 * may be read by both lanes, and the one that hands it on second leaves it out ({@link LaneMarks#claim}). The last
 * lane has no upper bound, exactly like the single walk, so a record changed while the run pages moves behind it
 * and is read.
 */
final class Lanes {
    /** Rounds of counting before the run takes the best cuts it has (an odd distribution of update times). */
    static final int MAX_COUNT_ROUNDS = 4;
    private static final int MALFORMED_RETRIES = 3;

    private final SurfaceWalker walker;
    private final Instant from;
    private final Instant until;
    private final int wanted;
    /** Pages to read → lanes the store's budget can keep busy ({@link LaneSizing}). */
    private final java.util.function.LongToIntFunction fed;
    /** Records in [from, t] by count answer, for each instant counted. */
    private final TreeMap<Instant, Long> counted = new TreeMap<>();
    private final Deque<Instant> toCount = new ArrayDeque<>();
    private int countsOut;
    private int rounds;
    private long total = -1;
    private int k;
    private String givenUp;
    /** Null while counting. */
    private List<Lane> lanes;
    /** Answers back and not yet handed on, of every lane, in the order they came back. */
    private final Deque<Arrived> ready = new ArrayDeque<>();

    /** One window and its walk. */
    static final class Lane {
        final int number;
        final Instant since;
        /** Null for the last lane: no upper bound. */
        final Instant until;
        PageRequest next;
        boolean inFlight;
        boolean ended;
        int malformed;
        /** Where the lane's pages handed on so far have read to (the run's thread only). */
        SyncState readTo;

        Lane(int number, Instant since, Instant until, PageRequest first) {
            this.number = number;
            this.since = since;
            this.until = until;
            this.next = first;
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
        toCount.add(until);
    }

    /** Why the run walks one cursor after all (counting failed, too few records), or null. */
    String givenUp() {
        return givenUp;
    }

    boolean walking() {
        return lanes != null;
    }

    int count() {
        return lanes == null ? 0 : lanes.size();
    }

    /** Records in the range by the first count, or -1 before it is back. */
    long total() {
        return total;
    }

    /**
     * The requests to send now: while counting, the counts of this round; then, for each lane with nothing in
     * flight, its next page, while fewer than {@code ahead} pages are in flight or back and not handed on (the
     * read-ahead's room, as for a snapshot; the pages handed on and not committed have taken their share of it).
     * Earlier lanes go first, so the lane that holds the watermark back is never the one left waiting; one page is
     * always let go, so a full read-ahead still moves.
     */
    List<SyncRun.Fetch> plan(int ahead) {
        List<SyncRun.Fetch> out = new ArrayList<>();
        if (givenUp != null) {
            return out;
        }
        if (lanes == null) {
            while (!toCount.isEmpty()) {
                Instant at = toCount.poll();
                out.add(new SyncRun.Fetch(0, walker.countRequest(from, at), null, at));
                countsOut++;
            }
            return out;
        }
        int waiting = ready.size();
        for (Lane lane : lanes) {
            waiting += lane.inFlight ? 1 : 0;
        }
        for (Lane lane : lanes) {
            if (lane.inFlight || lane.ended || lane.next == null) {
                continue;
            }
            if (waiting >= Math.max(1, ahead)) {
                break;
            }
            waiting++;
            lane.inFlight = true;
            out.add(new SyncRun.Fetch(0, lane.next, lane, null));
        }
        return out;
    }

    /**
     * One answer is back (any lane's, any count's, in whatever order): a count moves the cutting on; a page's
     * cursor lets its lane go on at once, and the page is ready to be handed on.
     *
     * @return what to log, or null
     */
    String arrived(SyncRun.Fetch fetch, SyncRuns.Answer answer, Exception failure) {
        if (fetch.lane() == null) {
            return counted(fetch.countedTo(), answer, failure);
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
        if (page.last() || page.records().isEmpty()) {
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

    private String counted(Instant at, SyncRuns.Answer answer, Exception failure) {
        countsOut--;
        if (givenUp != null) {
            return null;
        }
        if (failure != null || answer.code() < 200 || answer.code() >= 300) {
            givenUp = "counting " + walker.surface() + " failed ("
                    + (failure != null ? failure.getMessage() : "HTTP " + answer.code()) + ")";
            return givenUp;
        }
        try {
            counted.put(at, walker.readCount(answer.body()));
        } catch (RuntimeException e) {
            givenUp = "counting " + walker.surface() + " failed (" + e.getMessage() + ")";
            return givenUp;
        }
        if (countsOut > 0) {
            return null;
        }
        if (total < 0) {
            total = counted.get(until);
            // fewer than two pages a lane do not pay for the counts cutting them takes
            k = (int) Math.min(wanted, total / (2L * walker.pageSize()));
            long pages = (total + walker.pageSize() - 1) / walker.pageSize();
            int budgetFeeds = fed.applyAsInt(pages);
            if (budgetFeeds < k) {
                k = budgetFeeds;
                if (k < 2) {
                    // each cut costs a count from the same budget, and would buy nothing
                    givenUp = total + " records from " + from + ": one cursor walk keeps up with the store's budget";
                    return givenUp;
                }
            }
            if (k < 2) {
                givenUp = total + " records from " + from + ": one cursor walk";
                return givenUp;
            }
        }
        rounds++;
        boolean bisect = rounds > 1;
        TreeSet<Instant> next = new TreeSet<>();
        if (rounds <= MAX_COUNT_ROUNDS) {
            for (int i = 1; i < k; i++) {
                long target = total * i / k;
                if (near(target) == null) {
                    Instant cut = candidate(target, bisect);
                    if (cut != null && !counted.containsKey(cut)) {
                        next.add(cut);
                    }
                }
            }
        }
        if (!next.isEmpty()) {
            toCount.addAll(next);
            return null;
        }
        return startWalking();
    }

    /**
     * Within this many records of its share, a cut is good enough. The walk ends with its longest lane, so a
     * tenth of a share: a quarter (tried first) left a Plus backfill's longest lane a third over its share and the
     * run as long as that lane, where a round of counts more costs one round trip.
     */
    private long tolerance() {
        return Math.max(walker.pageSize(), total / (10L * k));
    }

    /** The counted instant inside the range whose count is nearest {@code target}, if near enough. */
    private Instant near(long target) {
        Instant best = nearest(target);
        return best != null && Math.abs(counted.get(best) - target) <= tolerance() ? best : null;
    }

    /** The counted instant strictly inside the range whose count is nearest {@code target}; null when none is. */
    private Instant nearest(long target) {
        Instant best = null;
        long bestOff = Long.MAX_VALUE;
        for (Map.Entry<Instant, Long> e : counted.entrySet()) {
            long off = Math.abs(e.getValue() - target);
            if (e.getKey().isAfter(from) && e.getKey().isBefore(until) && off < bestOff) {
                best = e.getKey();
                bestOff = off;
            }
        }
        return best;
    }

    /**
     * The next instant to count for {@code target}: interpolated between the counted instants around it (halfway
     * to the middle of that bracket from the second round on, so a lopsided distribution still narrows it), in
     * whole seconds, strictly inside the bracket; null when the bracket is one second wide and cannot be cut.
     */
    private Instant candidate(long target, boolean bisect) {
        Instant lo = from;
        long loCount = 0;
        Instant hi = until;
        long hiCount = total;
        for (Map.Entry<Instant, Long> e : counted.entrySet()) {
            if (e.getValue() <= target && e.getKey().isAfter(lo)) {
                lo = e.getKey();
                loCount = e.getValue();
            }
            if (e.getValue() >= target && e.getKey().isBefore(hi)) {
                hi = e.getKey();
                hiCount = e.getValue();
            }
        }
        long loS = lo.getEpochSecond();
        long span = hi.getEpochSecond() - loS;
        if (span <= 1) {
            return null;
        }
        double f = hiCount == loCount ? 0.5 : (double) (target - loCount) / (hiCount - loCount);
        if (bisect) {
            f = (f + 0.5) / 2;
        }
        long step = Math.max(1, Math.min(span - 1, Math.round(f * span)));
        return Instant.ofEpochSecond(loS + step);
    }

    /** Cuts at the counted instants nearest each share and starts every lane's walk. */
    private String startWalking() {
        TreeSet<Instant> cuts = new TreeSet<>();
        for (int i = 1; i < k; i++) {
            Instant best = nearest(total * i / k);
            if (best != null) {
                cuts.add(best);
            }
        }
        if (cuts.isEmpty()) {
            givenUp = "no instant inside [" + from + ", " + until + "] cuts " + walker.surface()
                    + " (every record counted shares one second)";
            return givenUp;
        }
        lanes = new ArrayList<>();
        Instant since = from;
        for (Instant cut : cuts) {
            lanes.add(new Lane(lanes.size() + 1, since, cut, walker.windowPage(since, cut)));
            since = cut;
        }
        lanes.add(new Lane(lanes.size() + 1, since, null, walker.page(since, 0)));
        StringBuilder shares = new StringBuilder();
        long before = 0;
        for (Instant cut : cuts) {
            shares.append(counted.get(cut) - before).append(", ");
            before = counted.get(cut);
        }
        shares.append(total - before);
        return lanes.size() + " lanes over " + total + " records from " + from + " (about " + shares + " by "
                + counted.size() + " counts)";
    }
}
