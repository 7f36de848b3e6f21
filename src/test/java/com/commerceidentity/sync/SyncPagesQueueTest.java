package com.commerceidentity.sync;

import static com.commerceidentity.sync.SyncPagesQueue.Rank.BACKFILL;
import static com.commerceidentity.sync.SyncPagesQueue.Rank.CHANGES;
import static com.commerceidentity.sync.SyncPagesQueue.Rank.STAFF;
import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The pages waiting to be committed: a staff run's go first, then those of runs reading what changed since their
 * watermark, then backfills'; every run's keep the order they were read in.
 */
class SyncPagesQueueTest {
    private final CamelContext camel = new DefaultCamelContext();

    @Test
    void aStaffPageReadAfterCustomerPagesIsCommittedBeforeThemAndEachRunKeepsItsOrder() throws Exception {
        SyncPagesQueue queue = new SyncPagesQueue();
        queue.put(page("bc1 customers 1", BACKFILL));
        queue.put(page("bc2 customers 1", BACKFILL));
        queue.offer(page("bc1 customers 2", BACKFILL));
        queue.put(page("shop staff 1", STAFF));
        queue.add(page("bc2 customers 2", BACKFILL));
        queue.put(page("shop staff 2", STAFF));
        queue.put(page("bc1 customers 3", BACKFILL));

        assertThat(drain(queue)).containsExactly("shop staff 1", "shop staff 2", "bc1 customers 1", "bc2 customers 1",
                "bc1 customers 2", "bc2 customers 2", "bc1 customers 3");
    }

    @Test
    void aRunForChangesSinceItsWatermarkIsCommittedBeforeBackfillsReadEarlierButAfterStaff() throws Exception {
        SyncPagesQueue queue = new SyncPagesQueue();
        queue.put(page("bc1 backfill 1", BACKFILL));
        queue.put(page("bc2 backfill 1", BACKFILL));
        queue.put(page("shop changes 1", CHANGES));
        queue.put(page("bc1 backfill 2", BACKFILL));
        queue.put(page("magento staff 1", STAFF));
        queue.put(page("shop changes 2", CHANGES));
        queue.put(page("medusa changes 1", CHANGES));

        assertThat(drain(queue)).containsExactly("magento staff 1", "shop changes 1", "shop changes 2",
                "medusa changes 1", "bc1 backfill 1", "bc2 backfill 1", "bc1 backfill 2");
    }

    @Test
    void aRunIsRankedWhenItBeginsByWhatItReads() {
        StoreConfig store = new StoreConfig("shop", Platform.of("magento"), "http://127.0.0.1:1", null, null, null,
                null, null, false, Map.of());
        SyncState watermark = new SyncState(Instant.parse("2026-11-30T10:00:00Z"), Set.of(), true);
        SyncState backfillCutShort = new SyncState(Instant.parse("2025-02-01T10:00:00Z"), Set.of(), false);

        assertThat(begun(store, new SyncRunRejectsTest.KeysetWalker(10), SyncState.START).rank).isEqualTo(BACKFILL);
        assertThat(begun(store, new SyncRunRejectsTest.KeysetWalker(10), watermark).rank).isEqualTo(CHANGES);
        // a backfill that failed midway resumes from its watermark, and is still a backfill
        assertThat(begun(store, new SyncRunRejectsTest.KeysetWalker(10), backfillCutShort).rank).isEqualTo(BACKFILL);
        // staff lists are read in full every run, watermark or not
        assertThat(begun(store, new StaffWalker(), watermark).rank).isEqualTo(STAFF);
    }

    private static SyncRun begun(StoreConfig store, SurfaceWalker walker, SyncState saved) {
        SyncRun run = new SyncRun(store, walker, saved, Instant.parse("2026-12-01T00:00:00Z"),
                new ReadAhead(1 << 20, 1000, () -> false));
        run.begin(() -> Duration.ofSeconds(60));
        return run;
    }

    /** The keyset walker's requests and pages, for a store's staff. */
    private static final class StaffWalker extends WalkerBase {
        private final SyncRunRejectsTest.KeysetWalker pages = new SyncRunRejectsTest.KeysetWalker(10);

        StaffWalker() {
            super("staff", Kind.STAFF, true, 10);
        }

        @Override
        public PageRequest page(Instant since, int offset) {
            return pages.page(since, offset);
        }

        @Override
        public Page read(PageRequest request, String body, Map<String, String> headers) {
            return pages.read(request, body, headers);
        }

        @Override
        public Instant updatedAt(JsonNode record) {
            return pages.updatedAt(record);
        }

        @Override
        public String id(JsonNode record) {
            return pages.id(record);
        }
    }

    private static List<String> drain(SyncPagesQueue queue) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        while (!queue.isEmpty()) {
            taken.add(queue.take().getMessage().getBody(String.class));
        }
        return taken;
    }

    private Exchange page(String name, SyncPagesQueue.Rank rank) {
        Exchange page = new DefaultExchange(camel);
        page.getMessage().setBody(name);
        page.setProperty(SyncPagesQueue.RANK, rank);
        return page;
    }
}
