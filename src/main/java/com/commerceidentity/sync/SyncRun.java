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
    volatile SyncState state;
    /** Where fetching has got to: what {@link #state} becomes once every page read so far is committed. */
    SyncState readState;
    /** Pages read but not yet committed, bounded in bytes. */
    final ReadAhead readAhead;
    PageRequest request;
    Page page;
    List<JsonNode> pageRecords = List.of();
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
    String outcome = "running";
    String message;
    Instant finished;

    SyncRun(StoreConfig store, SurfaceWalker walker, SyncState state, Instant started, ReadAhead readAhead) {
        this.store = store;
        this.walker = walker;
        this.state = state;
        this.readState = state;
        this.started = started;
        this.readAhead = readAhead;
    }

    /**
     * One page between fetch and commit: how many of its records are new to this run, the watermark it leads to,
     * and, when paging cannot go past it, why the run fails once it is committed.
     */
    record PageInFlight(long bytes, int fresh, SyncState reaches, String stalled) {
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
        Map<String, Long> counted;
        synchronized (events) {
            counted = Map.copyOf(events);
        }
        s.put("created", counted.getOrDefault("identity.created", 0L));
        s.put("updated", counted.getOrDefault("identity.updated", 0L));
        s.put("deleted", counted.getOrDefault("account.deleted", 0L));
        s.put("events", counted);
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
