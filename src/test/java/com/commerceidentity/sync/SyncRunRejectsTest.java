package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.MappingException;
import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncRun} without Camel or a store: records whose id or update time cannot be read become rejects while
 * the watermark follows the good records, and the watermark saved never moves back over quiet runs.
 */
class SyncRunRejectsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OVERLAP = Duration.ofSeconds(60);
    private final StoreConfig store = new StoreConfig("shop", Platform.of("magento"), "http://127.0.0.1:1", null,
            null, null, null, null, false, Map.of());

    /** A keyset walker like the platforms': {@code items}, {@code id}, {@code updated_at} (ISO-8601). */
    static final class KeysetWalker extends WalkerBase {
        KeysetWalker(int pageSize) {
            super("customers", Kind.CUSTOMER, true, pageSize);
        }

        @Override
        public PageRequest page(Instant since, int offset) {
            return PageRequest.get("/customers", "since=" + since + "&offset=" + offset);
        }

        @Override
        public Page read(PageRequest request, String body, Map<String, String> headers) {
            List<JsonNode> items = Json.array(Json.page(body, "page"), "items", "page");
            return new Page(items, null, null, items.size() < pageSize());
        }

        @Override
        public Instant updatedAt(JsonNode record) {
            String text = RecordFields.timestamp(record, "updated_at");
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new MappingException("updated_at", "not a timestamp: '" + text + "'");
            }
        }

        @Override
        public String id(JsonNode record) {
            return RecordFields.id(record, "id");
        }
    }

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private SyncRun run(SyncState saved, Instant started, int pageSize) {
        SyncRun run = new SyncRun(store, new KeysetWalker(pageSize), saved, started,
                new ReadAhead(1 << 20, 1000, () -> false));
        run.begin(() -> OVERLAP);
        return run;
    }

    private static String page(String... records) {
        return "{\"items\":[" + String.join(",", records) + "]}";
    }

    private static String rec(Object id, String updatedAt) {
        return "{\"id\":" + (id instanceof String ? "\"" + id + "\"" : String.valueOf(id)) + ",\"updated_at\":"
                + updatedAt + ",\"email\":\"a" + id + "@example.com\"}";
    }

    @Test
    void recordsWhoseIdOrTimeCannotBeReadAreRejectsAndTheWatermarkFollowsTheGoodOnes() {
        SyncRun run = run(SyncState.START, Instant.parse("2026-01-01T00:00:00Z"), 10);
        SyncRun.PageRead read = run.read(200, page(
                rec(1, "\"2025-03-01T10:00:00Z\""),
                rec(2, "\"exercitation\""),
                rec(3, "\"2025-03-01T11:00:00Z\""),
                "{\"updated_at\":\"2025-03-01T12:00:00Z\"}",
                rec(5, "42"),
                rec(6, "null"),
                "{\"id\":{\"x\":1},\"updated_at\":\"2025-03-01T12:00:00Z\"}"), Map.of());

        List<RawRecord> rejects = read.fresh().stream().filter(r -> r.rejectedAs() != null).toList();
        assertThat(read.fresh()).hasSize(7);
        assertThat(read.inFlight().fresh()).isEqualTo(2);
        assertThat(rejects).extracting(r -> r.rejectedAs().field())
                .containsExactly("updated_at", "id", "updated_at", "updated_at", "id");
        RawRecord exercitation = rejects.get(0);
        assertThat(exercitation.rejectedAs().reason()).contains("exercitation");
        assertThat(exercitation.rejectedAs().line()).isEqualTo(2);
        assertThat(exercitation.rejectedAs().where()).containsEntry("platform", "magento")
                .containsEntry("store", "shop").containsEntry("surface", "customers")
                .containsEntry("page", 1L).containsEntry("index", 1).containsEntry("id", "2");
        assertThat(exercitation.json().path("email").asText()).isEqualTo("a2@example.com");
        assertThat(rejects.get(1).rejectedAs().reason()).isEqualTo("missing");
        assertThat(rejects.get(1).rejectedAs().where()).doesNotContainKey("id").containsEntry("index", 3);
        assertThat(rejects.get(2).rejectedAs().reason()).contains("is not a timestamp: 42");
        assertThat(rejects.get(3).rejectedAs().reason()).isEqualTo("missing");

        // the newest readable record sets the watermark; the unreadable ones move nothing
        assertThat(read.inFlight().reaches())
                .isEqualTo(new SyncState(Instant.parse("2025-03-01T11:00:00Z"), Set.of("3"), false));
        assertThat(run.more()).isFalse();
        run.committed(read.inFlight(), rejects.size(), Map.of());
        assertThat(run.rejected).isEqualTo(5);
        assertThat(run.records).isEqualTo(2);
        assertThat(run.state.watermark()).isEqualTo(Instant.parse("2025-03-01T11:00:00Z"));
    }

    @Test
    void aPageOfOnlyUnreadableRecordsEndsQuietlyWhenItIsTheLast() {
        SyncState saved = new SyncState(Instant.parse("2025-03-01T11:00:00Z"), Set.of("3"), true);
        SyncRun run = run(saved, Instant.parse("2026-01-01T00:00:00Z"), 10);
        SyncRun.PageRead read = run.read(200, page(rec(9, "\"exercitation\"")), Map.of());
        run.committed(read.inFlight(), 1, Map.of());
        assertThat(run.end(null)).isFalse();
        assertThat(run.outcome).isEqualTo(SyncOutcome.COMPLETED);
        assertThat(run.state.watermark()).isEqualTo(saved.watermark());
    }

    @Test
    void aFullPageOfUnreadableRecordsStopsTheRunWithAReasonInsteadOfLooping() {
        SyncState saved = new SyncState(Instant.parse("2025-03-01T11:00:00Z"), Set.of("3"), true);
        SyncRun run = run(saved, Instant.parse("2026-01-01T00:00:00Z"), 2);
        SyncRun.PageRead read = run.read(200, page(rec(8, "\"exercitation\""), rec(9, "\"x\"")), Map.of());
        assertThat(run.more()).isFalse();
        assertThat(read.inFlight().stalled()).contains("no record on a full page had a readable id and update time");
        assertThat(read.fresh()).allMatch(r -> r.rejectedAs() != null);
    }

    @Test
    void quietRunsNeverMoveTheWatermarkBack() {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T03:45:00Z"));
        Instant watermark = Instant.parse("2026-01-01T03:45:26Z");
        SyncState saved = new SyncState(watermark, Set.of("7"), true);
        for (int i = 0; i < 5; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(5));
            SyncRun run = run(saved, clock.instant(), 10);
            // the run reads from the overlap before the watermark...
            assertThat(run.request.query()).contains("since=" + watermark.minus(OVERLAP));
            // ...and the store has nothing new: an empty page
            SyncRun.PageRead read = run.read(200, page(), Map.of());
            run.committed(read.inFlight(), 0, Map.of());
            run.end(null);
            assertThat(run.state.watermark()).as("run %d", i).isEqualTo(watermark);
            assertThat(run.summary(clock.instant())).containsEntry("watermark", watermark.toString());
            saved = run.state;
        }
        assertThat(saved).isEqualTo(new SyncState(watermark, Set.of("7"), true));
    }

    @Test
    void recordsReReadInTheOverlapDoNotMoveTheWatermarkBackButNewerOnesMoveItOn() {
        Instant watermark = Instant.parse("2026-01-01T03:45:26Z");
        SyncState saved = new SyncState(watermark, Set.of("7"), true);
        SyncRun quiet = run(saved, Instant.parse("2026-01-01T03:50:00Z"), 10);
        SyncRun.PageRead overlapOnly = quiet.read(200, page(rec(5, "\"2026-01-01T03:45:00Z\"")), Map.of());
        quiet.committed(overlapOnly.inFlight(), 0, Map.of());
        assertThat(quiet.state).isEqualTo(saved);

        SyncRun busy = run(quiet.state, Instant.parse("2026-01-01T03:55:00Z"), 10);
        SyncRun.PageRead read = busy.read(200, page(rec(5, "\"2026-01-01T03:45:00Z\""),
                rec(8, "\"2026-01-01T03:46:00Z\"")), Map.of());
        busy.committed(read.inFlight(), 0, Map.of());
        assertThat(busy.state).isEqualTo(new SyncState(Instant.parse("2026-01-01T03:46:00Z"), Set.of("8"), true));
    }
}
