package com.commerceidentity.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What of the lanes is committed, and so which watermark may be saved while lanes commit in any order.
 *
 * <p>A lane's own progress says nothing about the lanes before it, so the saved watermark is the committed
 * progress of the earliest lane not yet finished (all its pages handed on and committed): every lane before it is
 * fully in the graph. When that lane finishes, the watermark jumps to the next lane's progress.
 *
 * <p>Neighbouring lanes share their cut instant, so a record exactly at a cut may come from either. The first lane
 * to hand it on claims it; the other leaves it out and does not count it in its own progress, since it may not be
 * committed yet. Once the claiming lane is finished the record is committed, and the next lane's progress at its
 * starting instant names it too.
 *
 * <p>The run's thread hands pages on and the graph writer's threads commit them: every method holds the lock.
 */
final class LaneMarks {
    /** In time order; a lane taking over another's rest is put right after it. */
    private final List<Lanes.Lane> lanes;
    private final Map<Lanes.Lane, Marks> marks = new HashMap<>();
    /** Ids at each cut instant, by the lane that handed them on first. */
    private final Map<Instant, Map<String, Lanes.Lane>> claims = new HashMap<>();

    private static final class Marks {
        SyncState committed;
        long handedOn;
        long committedPages;
        boolean lastHandedOn;

        Marks(SyncState start) {
            this.committed = start;
        }

        boolean finished() {
            return lastHandedOn && committedPages == handedOn;
        }
    }

    /**
     * @param firstStart where the first lane starts: where the run's single walk had read to (its ids at that instant
     *                   were handed on by that walk); later lanes start at their cut with nothing seen there
     */
    LaneMarks(List<Lanes.Lane> lanes, SyncState firstStart) {
        this.lanes = new ArrayList<>(lanes);
        for (Lanes.Lane lane : lanes) {
            marks.put(lane, new Marks(lane == lanes.get(0) ? firstStart
                    : new SyncState(lane.since, Set.of(), firstStart.backfillDone())));
        }
    }

    /**
     * {@code taker} walks the rest of {@code donor} from its new end on ({@link Lanes#rebalance}): it starts there
     * with nothing seen, and the donor is finished once its pages up to that end are committed.
     */
    synchronized void takenOver(Lanes.Lane donor, Lanes.Lane taker) {
        lanes.add(lanes.indexOf(donor) + 1, taker);
        marks.put(taker, new Marks(new SyncState(taker.since, Set.of(), marks.get(donor).committed.backfillDone())));
    }

    /** Where the lane starts reading: the state its own pages move on from. */
    synchronized SyncState start(Lanes.Lane lane) {
        return marks.get(lane).committed;
    }

    /**
     * A record of {@code lane} at {@code at}: false when it lies on a cut the lane shares and the neighbour handed it
     * on already; otherwise the lane hands it on (and claims it, when on a cut).
     */
    synchronized boolean claim(Lanes.Lane lane, Instant at, String id) {
        boolean onCut = lane != lanes.get(0) && at.equals(lane.since) || lane.until != null && at.equals(lane.until);
        if (!onCut) {
            return true;
        }
        Lanes.Lane first = claims.computeIfAbsent(at, t -> new HashMap<>()).putIfAbsent(id, lane);
        return first == null || first == lane;
    }

    /** A page of the lane goes to the graph; {@code last}: the lane has nothing after it. */
    synchronized void handedOn(Lanes.Lane lane, boolean last) {
        Marks m = marks.get(lane);
        m.handedOn++;
        m.lastHandedOn |= last;
    }

    /**
     * A page of the lane is committed, having brought the lane to {@code reached}.
     *
     * @return the watermark that may be saved now
     */
    synchronized SyncState committed(Lanes.Lane lane, SyncState reached) {
        Marks m = marks.get(lane);
        m.committedPages++;
        m.committed = later(m.committed, reached);
        return watermark();
    }

    /** The committed progress of the earliest lane not finished (of the last lane once all are). */
    private SyncState watermark() {
        Lanes.Lane at = earliestUnfinished();
        SyncState progress = marks.get(at).committed;
        Map<String, Lanes.Lane> atCut = claims.get(at.since);
        if (at == lanes.get(0) || atCut == null || !at.since.equals(progress.watermark())) {
            return progress;
        }
        // the lanes before this one are finished: what the one ending at its start claimed there is in the graph
        Set<String> seen = new LinkedHashSet<>(progress.seenAtWatermark());
        atCut.forEach((id, by) -> {
            if (by != at) {
                seen.add(id);
            }
        });
        return new SyncState(progress.watermark(), seen, progress.backfillDone());
    }

    private Lanes.Lane earliestUnfinished() {
        for (Lanes.Lane lane : lanes) {
            if (!marks.get(lane).finished()) {
                return lane;
            }
        }
        return lanes.get(lanes.size() - 1);
    }

    /**
     * The further of two states of one lane: a lane's pages commit in the order it read them, but should two settle
     * the other way round, what is saved still never moves back.
     */
    private static SyncState later(SyncState a, SyncState b) {
        if (a.watermark() == null || b.watermark() != null && b.watermark().isAfter(a.watermark())) {
            return b;
        }
        if (b.watermark() == null || b.watermark().isBefore(a.watermark())) {
            return a;
        }
        Set<String> seen = new LinkedHashSet<>(a.seenAtWatermark());
        seen.addAll(b.seenAtWatermark());
        return new SyncState(a.watermark(), seen, a.backfillDone() || b.backfillDone());
    }
}
