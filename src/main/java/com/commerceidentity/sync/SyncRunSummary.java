package com.commerceidentity.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures a {@link SyncRun} reports: progress while it goes, the outcome once it ended. */
final class SyncRunSummary {
    private SyncRunSummary() {
    }

    /** Percent done where the API reports totals; null otherwise. */
    private static Double percent(SyncRun run) {
        if (run.expected == null || run.expected == 0) {
            return null;
        }
        return Math.min(100.0, 100.0 * (run.records - run.readBeforeExpected) / run.expected);
    }

    static Map<String, Object> of(SyncRun run, Instant now) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("store", run.store.id());
        s.put("surface", run.walker.surface());
        s.put("outcome", run.outcome.id());
        if (run.message != null) {
            s.put("message", run.message);
        }
        if (run.note != null) {
            s.put("note", run.note);
        }
        s.put("startedAt", run.started.toString());
        if (run.finished != null) {
            s.put("finishedAt", run.finished.toString());
        }
        Duration took = Duration.between(run.started, run.finished != null ? run.finished : now);
        s.put("seconds", took.toMillis() / 1000.0);
        s.put("pages", run.pages);
        s.put("records", run.records);
        s.put("rejected", run.rejected);
        Map<String, Long> counted;
        synchronized (run.events) {
            counted = Map.copyOf(run.events);
        }
        s.put("created", counted.getOrDefault("identity.created", 0L));
        s.put("updated", counted.getOrDefault("identity.updated", 0L));
        s.put("deleted", counted.getOrDefault("account.deleted", 0L));
        s.put("events", counted);
        if (run.laneCount > 0) {
            s.put("lanes", run.laneCount);
            s.put("laneTakeovers", run.laneTakeovers);
        }
        s.put("rateLimited", run.rateLimited);
        s.put("retries", run.retries);
        Double pct = percent(run);
        if (run.expected != null) {
            s.put("total", run.readBeforeExpected + run.expected);
        }
        if (pct != null) {
            s.put("percent", Math.round(pct * 10) / 10.0);
            if (pct > 0 && pct < 100 && run.finished == null) {
                long etaMillis = (long) (took.toMillis() * (100 - pct) / pct);
                s.put("etaSeconds", etaMillis / 1000);
            }
        }
        s.put("watermark", run.state.watermark() == null ? null : run.state.watermark().toString());
        return s;
    }
}
