package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@link Lanes} cuts a range by counts and hands pages on, without Camel: a walker over a list of update
 * times answers the counts, and the answers come back in the order the test chooses.
 */
class SyncLanesCuttingTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records at the given update times; counts [since, until] inclusive as Shopify's filters do. */
    static final class TimesWalker extends WalkerBase {
        final List<Instant> times;
        int counts;
        int pagesServed;

        TimesWalker(List<Instant> times) {
            super("customers", Kind.CUSTOMER, true, 10);
            this.times = times;
        }

        @Override
        public PageRequest page(Instant since, int offset) {
            return PageRequest.get("/list", "min=" + since);
        }

        @Override
        public PageRequest windowPage(Instant since, Instant until) {
            return PageRequest.get("/list", "min=" + since + "&max=" + until);
        }

        @Override
        public PageRequest countRequest(Instant since, Instant until) {
            return PageRequest.get("/count", "min=" + since + "&max=" + until);
        }

        @Override
        public long readCount(String body) {
            return Long.parseLong(body);
        }

        long count(Instant since, Instant until) {
            counts++;
            return times.stream().filter(t -> !t.isBefore(since) && !t.isAfter(until)).count();
        }

        @Override
        public Page read(PageRequest request, String body, Map<String, String> headers) {
            try {
                JsonNode root = JSON.readTree(body);
                List<JsonNode> records = new ArrayList<>();
                root.get("records").forEach(records::add);
                String next = root.path("next").asText(null);
                return new Page(records, next == null ? null : PageRequest.get("/list", next), null, next == null);
            } catch (Exception e) {
                throw new MalformedPageException("not a page", e);
            }
        }

        @Override
        public Instant updatedAt(JsonNode record) {
            return Instant.parse(record.get("at").asText());
        }

        @Override
        public String id(JsonNode record) {
            return record.get("id").asText();
        }
    }

    /** {@code n} update times one second apart from T0 (a list the test may add to). */
    private static List<Instant> secondsApart(int n) {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(T0.plusSeconds(i));
        }
        return times;
    }

    /** 100 records over the first 9,000 s of a 10,000 s range, 2,900 in the last 1,000 s. */
    private static List<Instant> bunchedAtTheEnd() {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            times.add(T0.plusSeconds(i * 90L));
        }
        for (int i = 0; i < 2900; i++) {
            times.add(T0.plusSeconds(9000 + i * 1000L / 2900));
        }
        return times;
    }

    /** What the run keeps of walking lanes: their marks, told of every take-over. */
    private static LaneMarks[] marked(Lanes lanes) {
        LaneMarks[] marks = {new LaneMarks(lanes.lanes(), new SyncState(T0, java.util.Set.of(), false))};
        lanes.onTakeover((donor, taker) -> marks[0].takenOver(donor, taker));
        return marks;
    }

    private static SyncRuns.Answer answer(SyncRun.Fetch f, int code, String body) {
        return new SyncRuns.Answer(f, code, body, Map.of(), 1, 0);
    }

    /** Answers every count until the lanes walk or give up; returns the count requests it answered. */
    private static int countAll(Lanes lanes, TimesWalker w, Instant from) {
        int answered = 0;
        for (int guard = 0; guard < 50 && !lanes.walking() && lanes.givenUp() == null; guard++) {
            for (SyncRun.Fetch f : lanes.plan(6)) {
                assertThat(f.countedTo()).isNotNull();
                lanes.arrived(f, answer(f, 200, Long.toString(w.count(from, f.countedTo()))), null);
                answered++;
            }
        }
        return answered;
    }

    @Test
    void oneCountSizesTheLanesAndTheRangeIsCutIntoEqualSpansOfTime() {
        List<Instant> times = secondsApart(3000);
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(3000), 3);
        int counts = countAll(lanes, w, T0);
        assertThat(lanes.walking()).isTrue();
        assertThat(lanes.count()).isEqualTo(3);
        assertThat(counts).as("the total only: no round trip before the walk starts").isEqualTo(1);
        List<SyncRun.Fetch> first = lanes.plan(6);
        assertThat(first).hasSize(3).allSatisfy(f -> assertThat(f.lane()).isNotNull());
        assertThat(first.get(0).request().query()).isEqualTo("min=" + T0 + "&max=" + T0.plusSeconds(1000));
        assertThat(first.get(1).request().query()).isEqualTo("min=" + T0.plusSeconds(1000) + "&max=" + T0.plusSeconds(2000));
        assertThat(first.get(2).request().query()).as("the last lane starts where lane 2 ends, with no upper bound")
                .isEqualTo("min=" + T0.plusSeconds(2000));
    }

    /**
     * Answers the walk's requests as a store holding {@code times} (ids by position) would, ten a page, each window
     * inclusive at both ends; a cursor goes on after the last record of its page, with the page's filter.
     */
    private static String serve(TimesWalker w, PageRequest request) {
        Map<String, String> q = new java.util.HashMap<>();
        for (String part : request.query().split("&")) {
            String[] kv = part.split("=", 2);
            q.put(kv[0], kv[1]);
        }
        Instant min = Instant.parse(q.get("min"));
        Instant max = q.containsKey("max") ? Instant.parse(q.get("max")) : null;
        int after = q.containsKey("after") ? Integer.parseInt(q.get("after")) : -1;
        StringBuilder page = new StringBuilder("{\"records\":[");
        int n = 0;
        int last = after;
        for (int i = after + 1; i < w.times.size() && n < w.pageSize(); i++) {
            Instant t = w.times.get(i);
            if (t.isBefore(min) || max != null && t.isAfter(max)) {
                continue;
            }
            page.append(n++ == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"at\":\"").append(t).append("\"}");
            last = i;
        }
        page.append(']');
        boolean more = false;
        for (int i = last + 1; i < w.times.size() && n == w.pageSize(); i++) {
            Instant t = w.times.get(i);
            more |= !t.isBefore(min) && (max == null || !t.isAfter(max));
        }
        if (more) {
            page.append(",\"next\":\"min=").append(min).append(max == null ? "" : "&max=" + max).append("&after=").append(last).append('"');
        }
        return page.append('}').toString();
    }

    /**
     * Walks the lanes to the end as a run does, answering the requests out the order they went (the latest sent
     * first, every third round), handing on what a run hands on: records within the lane's window as it is when the
     * page is read, each claimed at a cut by one lane. Returns the ids handed on, in order.
     */
    private static List<String> walkToTheEnd(Lanes lanes, TimesWalker w, LaneMarks[] marks) {
        return walkToTheEnd(lanes, w, marks, () -> { });
    }

    /** As above; {@code midway} runs after the tenth answer (a change in the store while the run pages). */
    private static List<String> walkToTheEnd(Lanes lanes, TimesWalker w, LaneMarks[] marks, Runnable midway) {
        List<String> handedOn = new ArrayList<>();
        Map<Lanes.Lane, SyncState> readTo = new java.util.HashMap<>();
        java.util.Deque<SyncRun.Fetch> out = new java.util.ArrayDeque<>();
        for (int round = 0; round < 10_000 && !lanes.finished(); round++) {
            if (round == 10) {
                midway.run();
            }
            out.addAll(lanes.plan(8));
            SyncRun.Fetch f = round % 3 == 0 ? out.pollLast() : out.pollFirst();
            if (f != null) {
                w.pagesServed++;
                lanes.arrived(f, answer(f, 200, serve(w, f.request())), null);
            }
            for (Lanes.Arrived a = lanes.takeReady(); a != null; a = lanes.takeReady()) {
                // as the run does: what the lane read at its newest instant is not handed on again
                SyncState read = readTo.getOrDefault(a.lane(), new SyncState(a.lane().since, java.util.Set.of(), false));
                Instant newest = read.watermark();
                java.util.Set<String> seen = new java.util.HashSet<>(read.seenAtWatermark());
                for (JsonNode r : a.page().records()) {
                    Instant at = w.updatedAt(r);
                    String id = r.get("id").asText();
                    if (a.lane().until != null && at.isAfter(a.lane().until)
                            || at.equals(read.watermark()) && read.seenAtWatermark().contains(id)) {
                        continue;
                    }
                    if (at.isAfter(newest)) {
                        newest = at;
                        seen.clear();
                    }
                    if (at.equals(newest)) {
                        seen.add(id);
                    }
                    if (marks[0].claim(a.lane(), at, id)) {
                        handedOn.add(id);
                    }
                }
                readTo.put(a.lane(), new SyncState(newest, seen, false));
            }
        }
        assertThat(lanes.finished()).as("the walk ends").isTrue();
        return handedOn;
    }

    @Test
    void bunchedRecordsAreReadOnceEachWhileLanesThatFinishTakeOverTheRestOfTheBusiestLane() {
        // cut by time, the last lane holds nearly all
        List<Instant> times = bunchedAtTheEnd();
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(10_000), 3);
        countAll(lanes, w, T0);
        LaneMarks[] marks = marked(lanes);
        List<String> handedOn = walkToTheEnd(lanes, w, marks);

        assertThat(handedOn).as("every record once").hasSize(times.size()).doesNotHaveDuplicates();
        assertThat(lanes.takeovers()).as("the two quiet lanes finished early and took over the busy one's rest")
                .isGreaterThanOrEqualTo(2);
        assertThat(lanes.lanes()).extracting(l -> l.since).isSorted();
        assertThat(w.pagesServed).as("pages: a single walk's 300, and one read twice at most per take-over")
                .isLessThanOrEqualTo(300 + 3 + lanes.takeovers());
    }

    /**
     * A walk cut by its first, slowest answers has more lanes than the budget keeps busy once they are faster: a lane
     * that finishes is replaced only while the lanes still walking are fewer than the budget keeps busy for what they
     * have left, since each take-over may read a page twice.
     */
    @Test
    void aLaneThatFinishesIsReplacedOnlyWhileTooFewLanesAreLeftToKeepTheBudgetBusy() {
        // cut by time into four, three lanes are quiet
        List<Instant> times = bunchedAtTheEnd();
        int[] budgetKeepsBusy = {4};
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(10_000), 4, pages -> budgetKeepsBusy[0]);
        countAll(lanes, w, T0);
        assertThat(lanes.count()).as("the first answers' budget keeps four lanes busy").isEqualTo(4);
        // the answers since are faster: two lanes keep the budget busy
        budgetKeepsBusy[0] = 2;
        LaneMarks[] marks = marked(lanes);
        List<Integer> walkingAtTakeover = new ArrayList<>();
        lanes.onTakeover((donor, taker) -> {
            marks[0].takenOver(donor, taker);
            // the taker is in the list already
            walkingAtTakeover.add((int) lanes.lanes().stream().filter(l -> !l.ended && !l.tail).count() - 1);
        });
        List<String> handedOn = walkToTheEnd(lanes, w, marks);

        assertThat(handedOn).as("every record once").hasSize(times.size()).doesNotHaveDuplicates();
        assertThat(walkingAtTakeover).as("a lane took over the busy one's rest only when one lane was left walking")
                .isNotEmpty().containsOnly(1);
        assertThat(w.pagesServed).as("pages: a single walk's 300, and one read twice at most per take-over")
                .isLessThanOrEqualTo(300 + 4 + lanes.takeovers());
    }

    @Test
    void aRecordChangedWhileTheLanesWalkIsReadAfterTheLastLaneHasReachedTheEnd() {
        // 300 records in the first half of the range: the last lane's window is empty and it reaches the end at once
        List<Instant> times = secondsApart(300);
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(600), 3);
        countAll(lanes, w, T0);
        LaneMarks[] marks = marked(lanes);
        // changed while the run pages: stamped after everything there was
        List<String> handedOn = walkToTheEnd(lanes, w, marks, () -> times.add(T0.plusSeconds(900)));

        assertThat(handedOn).as("every record once, the changed one too").hasSize(301).doesNotHaveDuplicates()
                .contains("300");
    }

    /**
     * The last lane's read on from its end costs a request but need not cost a round trip: it goes out once every
     * other lane has out the page that should hold all it has left, and comes back with those pages.
     */
    @Test
    void theLastLanesReadOnFromItsEndGoesOutWithTheOtherLanesLastPages() {
        // 75 records a second apart, three lanes cut at 24 s and 49 s: 25, 25 and 26 records, three pages each
        List<Instant> times = secondsApart(75);
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(74), 3);
        countAll(lanes, w, T0);
        LaneMarks[] marks = marked(lanes);
        Lanes.Lane first = lanes.lanes().get(0);
        Lanes.Lane second = lanes.lanes().get(1);
        Lanes.Lane last = lanes.lanes().get(2);
        List<SyncRun.Fetch> out = new ArrayList<>(lanes.plan(8));
        java.util.Set<String> handedOn = new java.util.HashSet<>();

        for (int guard = 0; guard < 5 && !last.tail; guard++) {
            answerLane(lanes, w, marks, out, last, handedOn);
        }
        assertThat(last.tail).as("the last lane has read to the end, its first pages back before the others'").isTrue();
        assertThat(lanes.plan(8)).as("lanes 1 and 2 have more to read than the page each has out: the last lane waits")
                .isEmpty();

        answerLane(lanes, w, marks, out, first, handedOn);
        answerLane(lanes, w, marks, out, second, handedOn);
        answerLane(lanes, w, marks, out, first, handedOn);
        assertThat(out).as("lane 2 has a page out besides lane 1's last").noneMatch(f -> f.lane() == last);
        answerLane(lanes, w, marks, out, second, handedOn);

        assertThat(out).as("the last lane's read on went out while lanes 1 and 2 each had their last page out")
                .anyMatch(f -> f.lane() == last).anyMatch(f -> f.lane() == first).anyMatch(f -> f.lane() == second);
        answerLane(lanes, w, marks, out, last, handedOn);
        answerLane(lanes, w, marks, out, first, handedOn);
        answerLane(lanes, w, marks, out, second, handedOn);
        assertThat(out).as("the pages out were lanes 1 and 2's last: nothing more to send").isEmpty();
        assertThat(lanes.finished()).isTrue();
        assertThat(handedOn).as("every record").hasSize(75);
    }

    /** Answers {@code lane}'s request in {@code out}, hands on what is back, and adds what the lanes send next. */
    private static void answerLane(Lanes lanes, TimesWalker w, LaneMarks[] marks, List<SyncRun.Fetch> out,
            Lanes.Lane lane, java.util.Set<String> handedOn) {
        SyncRun.Fetch f = out.stream().filter(o -> o.lane() == lane).findFirst().orElseThrow(
                () -> new AssertionError(lane + " has nothing out"));
        out.remove(f);
        w.pagesServed++;
        lanes.arrived(f, answer(f, 200, serve(w, f.request())), null);
        for (Lanes.Arrived a = lanes.takeReady(); a != null; a = lanes.takeReady()) {
            for (JsonNode r : a.page().records()) {
                Instant at = w.updatedAt(r);
                if ((a.lane().until == null || !at.isAfter(a.lane().until)) && marks[0].claim(a.lane(), at, r.get("id").asText())) {
                    handedOn.add(r.get("id").asText());
                }
            }
        }
        out.addAll(lanes.plan(8));
    }

    @Test
    void aCountThatFailsLeavesTheRunToItsOneCursor() {
        TimesWalker w = new TimesWalker(List.of());
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(100), 3);
        SyncRun.Fetch total = lanes.plan(6).get(0);
        String said = lanes.arrived(total, answer(total, 403, "{\"errors\":\"[API] This action requires merchant"
                + " approval for read_customers scope.\"}"), null);
        assertThat(lanes.givenUp()).isEqualTo(said).contains("counting customers failed (HTTP 403)");
        assertThat(lanes.plan(6)).isEmpty();
        assertThat(lanes.walking()).isFalse();
    }

    @Test
    void tooFewRecordsForTwoLanesAreWalkedAsOne() {
        List<Instant> times = secondsApart(39);
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(100), 3);
        countAll(lanes, w, T0);
        assertThat(lanes.givenUp()).contains("39 records").contains("one cursor walk");
    }

    @Test
    void aLaterLanesPageIsHandedOnAsSoonAsItIsBackAndItsCursorGoesOnAtOnce() {
        List<Instant> times = secondsApart(300);
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(299), 2);
        countAll(lanes, w, T0);
        List<SyncRun.Fetch> firsts = lanes.plan(6);
        assertThat(firsts).hasSize(2);
        SyncRun.Fetch lane2 = firsts.get(1);
        lanes.arrived(lane2, answer(lane2, 200, "{\"records\":[{\"id\":\"200\",\"at\":\"" + T0.plusSeconds(150)
                + "\"}],\"next\":\"c2\"}"), null);
        assertThat(lanes.takeReady().page().records().get(0).get("id").asText())
                .as("lane 2's page, while lane 1's first is still out").isEqualTo("200");
        List<SyncRun.Fetch> more = lanes.plan(6);
        assertThat(more).as("lane 2's cursor goes on while lane 1 is out").hasSize(1);
        assertThat(more.get(0).request().query()).isEqualTo("c2");
        assertThat(lanes.plan(1)).as("one in flight per lane").isEmpty();

        SyncRun.Fetch lane1 = firsts.get(0);
        lanes.arrived(lane1, answer(lane1, 200, "{\"records\":[{\"id\":\"1\",\"at\":\"" + T0 + "\"}]}"), null);
        Lanes.Arrived first = lanes.takeReady();
        assertThat(first.page().records().get(0).get("id").asText()).isEqualTo("1");
        assertThat(first.last()).as("lane 1's page named no next page").isTrue();
        assertThat(lanes.takeReady()).isNull();
        assertThat(lanes.finished()).as("lane 2 is still out").isFalse();
    }

    @Test
    void laterLanesSendOnlyWhatTheReadAheadHasRoomFor() {
        List<Instant> times = secondsApart(600);
        TimesWalker w = new TimesWalker(times);
        Lanes lanes = new Lanes(w, T0, T0.plusSeconds(599), 3);
        countAll(lanes, w, T0);
        assertThat(lanes.plan(1)).as("a full read-ahead: only the lane being read").hasSize(1)
                .allSatisfy(f -> assertThat(f.lane().number).isEqualTo(1));
        assertThat(lanes.plan(2)).as("room for one more page").hasSize(1)
                .allSatisfy(f -> assertThat(f.lane().number).isEqualTo(2));
    }
}
