package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lanes commit in any order, yet the watermark saved is the committed progress of the earliest lane not finished,
 * and a record at a cut two lanes share is handed on by one of them.
 */
class LaneMarksTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant CUT1 = T0.plusSeconds(100);
    private static final Instant CUT2 = T0.plusSeconds(200);

    private final Lanes.Lane one = new Lanes.Lane(1, T0, CUT1, null);
    private final Lanes.Lane two = new Lanes.Lane(2, CUT1, CUT2, null);
    private final Lanes.Lane three = new Lanes.Lane(3, CUT2, null, null);
    private final LaneMarks marks = new LaneMarks(List.of(one, two, three), state(T0, "a"));

    private static SyncState state(Instant at, String... seen) {
        return new SyncState(at, Set.of(seen), false);
    }

    @Test
    void laterLanesCommittingFirstLeaveTheWatermarkInTheFirstLane() {
        marks.handedOn(three, false);
        marks.handedOn(two, false);
        assertThat(marks.committed(three, state(CUT2.plusSeconds(50), "x"))).isEqualTo(state(T0, "a"));
        assertThat(marks.committed(two, state(CUT1.plusSeconds(50), "y"))).isEqualTo(state(T0, "a"));
        marks.handedOn(one, false);
        assertThat(marks.committed(one, state(T0.plusSeconds(40), "b"))).isEqualTo(state(T0.plusSeconds(40), "b"));
    }

    @Test
    void theWatermarkJumpsToTheNextLanesProgressOnceTheEarlierLaneIsFinished() {
        marks.handedOn(two, false);
        marks.committed(two, state(CUT1.plusSeconds(50), "y"));
        marks.handedOn(one, false);
        marks.handedOn(one, true);
        marks.committed(one, state(T0.plusSeconds(40), "b"));
        assertThat(marks.committed(one, state(CUT1, "c"))).as("lane 1's last page committed")
                .isEqualTo(state(CUT1.plusSeconds(50), "y"));
    }

    @Test
    void aLaneFinishedWhileALaterOneHasPagesOutSavesNothingOfThoseOutPages() {
        marks.handedOn(one, true);
        marks.handedOn(two, false);
        assertThat(marks.committed(one, state(CUT1.minusSeconds(1), "z"))).as("lane 2 has nothing committed")
                .isEqualTo(state(CUT1));
    }

    @Test
    void aRecordAtACutIsHandedOnByTheLaneThatReadsItFirstOnly() {
        assertThat(marks.claim(two, CUT1, "r")).as("lane 2 reads it first").isTrue();
        assertThat(marks.claim(one, CUT1, "r")).as("lane 1 leaves it out").isFalse();
        assertThat(marks.claim(two, CUT1, "r")).isTrue();
        assertThat(marks.claim(one, CUT1.minusSeconds(1), "r")).as("off the cut").isTrue();
        assertThat(marks.claim(one, T0, "a")).as("the first lane's start is no cut").isTrue();
    }

    @Test
    void whatTheEarlierLaneHandedOnAtTheCutCountsOnceThatLaneIsFinished() {
        marks.claim(one, CUT1, "r");
        marks.handedOn(one, true);
        marks.committed(one, state(CUT1, "r"));
        marks.claim(two, CUT1, "s");
        marks.handedOn(two, false);
        SyncState saved = marks.committed(two, state(CUT1, "s"));
        assertThat(saved.watermark()).isEqualTo(CUT1);
        assertThat(saved.seenAtWatermark()).containsExactlyInAnyOrder("r", "s");
    }
}
