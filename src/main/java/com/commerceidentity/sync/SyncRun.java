package com.commerceidentity.sync;

import com.commerceidentity.store.StoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One run of one surface of one store: where it is, and the figures its summary reports. */
final class SyncRun {
    final StoreConfig store;
    final SurfaceWalker walker;
    final Instant started;
    /** What is committed: the watermark saved after the last page that reached the graph. */
    SyncState state;
    /** What {@link #state} becomes once the page being ingested is committed; known as soon as the page is read. */
    SyncState nextState;
    /** Set when the page being ingested cannot lead anywhere; the run fails once that page is committed. */
    String stalled;
    PageRequest request;
    Page page;
    List<JsonNode> pageRecords = List.of();
    boolean refetch;
    int malformedInARow;
    int stalledPages;
    long pages;
    long records;
    int pageFresh;
    long rejected;
    long retries;
    long rateLimited;
    Long expected;
    long readBeforeExpected;
    final Map<String, Long> events = new TreeMap<>();
    String outcome = "running";
    String message;
    Instant finished;

    SyncRun(StoreConfig store, SurfaceWalker walker, SyncState state, Instant started) {
        this.store = store;
        this.walker = walker;
        this.state = state;
        this.started = started;
    }

    String key() {
        return store.id() + "/" + walker.surface();
    }

    /** Percent done where the API reports totals; null otherwise. */
    Double percent() {
        if (expected == null || expected == 0) {
            return null;
        }
        return Math.min(100.0, 100.0 * (records - readBeforeExpected) / expected);
    }

    Map<String, Object> summary(Instant now) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("store", store.id());
        s.put("surface", walker.surface());
        s.put("outcome", outcome);
        if (message != null) {
            s.put("message", message);
        }
        s.put("startedAt", started.toString());
        if (finished != null) {
            s.put("finishedAt", finished.toString());
        }
        Duration took = Duration.between(started, finished != null ? finished : now);
        s.put("seconds", took.toMillis() / 1000.0);
        s.put("pages", pages);
        s.put("records", records);
        s.put("rejected", rejected);
        s.put("created", events.getOrDefault("identity.created", 0L));
        s.put("updated", events.getOrDefault("identity.updated", 0L));
        s.put("deleted", events.getOrDefault("account.deleted", 0L));
        s.put("events", Map.copyOf(events));
        s.put("rateLimited", rateLimited);
        s.put("retries", retries);
        Double pct = percent();
        if (expected != null) {
            s.put("total", readBeforeExpected + expected);
        }
        if (pct != null) {
            s.put("percent", Math.round(pct * 10) / 10.0);
            if (pct > 0 && pct < 100 && finished == null) {
                long etaMillis = (long) (took.toMillis() * (100 - pct) / pct);
                s.put("etaSeconds", etaMillis / 1000);
            }
        }
        s.put("watermark", state.watermark() == null ? null : state.watermark().toString());
        return s;
    }
}
