package com.commerceidentity.sync;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Header;

/** The latest run of every surface (running or finished), for {@code GET /stores/{id}/status}. */
public class SyncStatus {
    private final Map<String, SyncRun> running = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> last = new ConcurrentHashMap<>();
    private final StoreRegistry stores;
    private final SyncSurfaces surfaces;
    private final ObjectMapper json;
    private final Clock clock;

    private volatile SyncReconcile reconcile;
    private final Map<String, SurfaceTotals> totals = new ConcurrentHashMap<>();

    /** A surface's figures since start-up, for metrics: they only grow, whatever each run did. */
    public static final class SurfaceTotals {
        private final java.util.concurrent.atomic.LongAdder records = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder rateLimited = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder failedRuns = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder rejected = new java.util.concurrent.atomic.LongAdder();
        private volatile java.time.Instant lastSuccessStarted;
        private volatile java.time.Instant lastSuccessFinished;

        public long records() {
            return records.sum();
        }

        public long rateLimited() {
            return rateLimited.sum();
        }

        public long failedRuns() {
            return failedRuns.sum();
        }

        public long rejected() {
            return rejected.sum();
        }

        /** When the last completed run started: the store's data is at least this fresh. Null before one. */
        public java.time.Instant lastSuccessStarted() {
            return lastSuccessStarted;
        }

        public java.time.Instant lastSuccessFinished() {
            return lastSuccessFinished;
        }
    }

    public SurfaceTotals totals(String storeId, String surface) {
        return totals.computeIfAbsent(storeId + "/" + surface, k -> new SurfaceTotals());
    }

    /** The run of the surface in progress, as {@code GET /stores/{id}/status} shows it, or null. */
    public Map<String, Object> current(String storeId, String surface) {
        SyncRun now = running.get(storeId + "/" + surface);
        return now == null ? null : now.summary(clock.instant());
    }

    public SyncStatus(StoreRegistry stores, SyncSurfaces surfaces, ObjectMapper json, Clock clock) {
        this.stores = stores;
        this.surfaces = surfaces;
        this.json = json;
        this.clock = clock;
    }

    public void reconcile(SyncReconcile r) {
        this.reconcile = r;
    }

    void running(SyncRun run) {
        running.put(run.key(), run);
    }

    /** @return true when this repeats the previous outcome of an unavailable surface (not worth logging again) */
    boolean finished(SyncRun run, Map<String, Object> summary) {
        running.remove(run.key());
        count(totals.computeIfAbsent(run.key(), k -> new SurfaceTotals()), run, summary);
        Map<String, Object> previous = last.put(run.key(), summary);
        return previous != null && run.outcome == SyncOutcome.UNAVAILABLE
                && SyncOutcome.UNAVAILABLE.id().equals(previous.get("outcome"));
    }

    private static void count(SurfaceTotals t, SyncRun run, Map<String, Object> summary) {
        t.records.add(number(summary.get("records")));
        t.rateLimited.add(number(summary.get("rateLimited")));
        t.rejected.add(number(summary.get("rejected")));
        if (run.outcome == SyncOutcome.FAILED) {
            t.failedRuns.increment();
        } else if (run.outcome == SyncOutcome.COMPLETED) {
            t.lastSuccessStarted = run.started;
            t.lastSuccessFinished = run.finished;
        }
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** The last finished run of a surface, or null. */
    public Map<String, Object> lastRun(String storeId, String surface) {
        return last.get(storeId + "/" + surface);
    }

    public String forStore(@Header("id") String id) throws JsonProcessingException {
        StoreConfig store = stores.get(id).orElseThrow(() -> new HttpProblem(404, "no store '" + id + "' is configured"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("store", store.id());
        out.put("platform", store.platform().id());
        Map<String, Object> bySurface = new LinkedHashMap<>();
        for (String surface : SyncSurfaces.offered(store)) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("enabled", SyncSurfaces.enabled(store, surface));
            if (SyncSurfaces.enabled(store, surface)) {
                s.put("cron", surfaces.cron(store, surface));
                if (SyncSurfaces.staff(store, surface)) {
                    s.put("deletes", "after each run"); // staff: no daily reconcile
                } else {
                    s.put("reconcileCron", surfaces.reconcileCron(store, surface));
                }
            }
            SyncRun now = running.get(store.id() + "/" + surface);
            if (now != null) {
                s.put("current", now.summary(clock.instant()));
            }
            Map<String, Object> done = last.get(store.id() + "/" + surface);
            if (done != null) {
                s.put("lastRun", done);
            }
            Map<String, Object> check = reconcile == null ? null : reconcile.lastRun(store.id(), surface);
            if (check != null) {
                s.put("lastReconcile", check);
            }
            bySurface.put(surface, s);
        }
        out.put("surfaces", bySurface);
        return json.writeValueAsString(out);
    }
}
