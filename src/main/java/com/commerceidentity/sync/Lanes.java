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
 * out). Then each lane walks its window by its own cursor, one request in flight per lane. Pages are handed on in
 * time order — all of lane 1's, then lane 2's, … — so the run reads and commits them as the single walk would
 * and the watermark never passes a record not yet committed; pages of later lanes that come back early wait here,
 * as many as the read-ahead has room for ({@link #plan}).
 *
 * <p>Windows share their boundary instant (the upper bound is inclusive on some APIs): a record at the boundary
 * is read by both lanes and the second read is left out by the run's ids at the watermark. The last lane has no
 * upper bound, exactly like the single walk, so a record changed while the run pages moves behind it and is read.
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
    private int current;

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
        final Deque<Arrived> arrived = new ArrayDeque<>();

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

    /** An answer of a lane waiting for its turn: its page, or why there is none (thrown when its turn comes). */
    record Arrived(SyncRuns.Answer answer, Page page, Exception failure) {
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
     * flight, its next page — always for the lane being read, and for later lanes while fewer than {@code ahead}
     * pages beyond the one to read next are in flight or waiting (the read-ahead's room, as for a snapshot).
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
        advance();
        int aheadNow = 0;
        for (int i = current + 1; i < lanes.size(); i++) {
            aheadNow += lanes.get(i).arrived.size() + (lanes.get(i).inFlight ? 1 : 0);
        }
        for (int i = current; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            if (lane.inFlight || lane.ended || lane.next == null) {
                continue;
            }
            if (i != current) {
                if (aheadNow >= ahead - 1) {
                    continue;
                }
                aheadNow++;
            }
            lane.inFlight = true;
            out.add(new SyncRun.Fetch(0, lane.next, lane, null));
        }
        return out;
    }

    /**
     * One answer is back (any lane's, any count's, in whatever order): a count moves the cutting on; a page's
     * cursor lets its lane go on at once, and the page waits for its turn.
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
            // the run fails (or finds the surface unavailable) when this answer's turn comes, after the pages before it
            lane.arrived.add(new Arrived(answer, null, failure));
            lane.ended = true;
            return null;
        }
        Page page;
        try {
            page = walker.read(fetch.request(), answer.body(), answer.headers());
        } catch (MalformedPageException e) {
            lane.malformed++;
            if (lane.malformed > MALFORMED_RETRIES) {
                lane.arrived.add(new Arrived(answer, null, new IllegalStateException(e.getMessage() + " ("
                        + MALFORMED_RETRIES + " re-fetches did not help)", e)));
                lane.ended = true;
                return null;
            }
            // lane.next is unchanged: the next plan sends the same request again
            return lane + ": " + e.getMessage() + "; fetching the page again";
        }
        lane.malformed = 0;
        lane.arrived.add(new Arrived(answer, page, null));
        if (page.last() || page.records().isEmpty()) {
            lane.ended = true;
            lane.next = null;
        } else if (page.next() != null) {
            lane.next = page.next();
        } else {
            lane.ended = true;
            lane.next = null;
            lane.arrived.add(new Arrived(null, null, new IllegalStateException(lane + ": a page of "
                    + walker.surface() + " neither named the next page nor said it was the last")));
        }
        return null;
    }

    /** The next answer in time order, once it is back; null while it is not. */
    Arrived takeReady() {
        advance();
        return current < lanes.size() ? lanes.get(current).arrived.poll() : null;
    }

    /** True once every lane's pages have been handed on. */
    boolean finished() {
        if (lanes == null) {
            return false;
        }
        advance();
        return current >= lanes.size();
    }

    private void advance() {
        while (current < lanes.size()) {
            Lane lane = lanes.get(current);
            if (!lane.ended || lane.inFlight || !lane.arrived.isEmpty()) {
                return;
            }
            current++;
        }
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

    /** Within this many records of its share, a cut is good enough: lanes only need to end at about the same time. */
    private long tolerance() {
        return Math.max(walker.pageSize(), total / (4L * k));
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
