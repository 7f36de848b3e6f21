package com.commerceidentity.sync;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreCalls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/** The app with its sandbox stores on ephemeral ports, schedules far in the future, runs started by hand. */
final class SyncHarness implements AutoCloseable {
    final EmbeddedApp app;
    final int port;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SyncHarness(Path dir, Map<String, String> extra) throws Exception {
        port = freePort();
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.putAll(TestDatabase.appSettings(dir));
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("camel.server.port", Integer.toString(port));
        s.put("sandbox.enabled", "true");
        s.putAll(SandboxStores.onFreePorts());
        s.put("app.store-call.backoff-base-ms", "20");
        s.put("app.store-call.backoff-max-ms", "200");
        s.put("app.sync.run-at-start", "false");
        // Runs are started by the tests; the cron must not interfere.
        for (String p : new String[] {"shopify", "bigcommerce", "magento", "medusa", "woocommerce"}) {
            s.put("stores." + p + "-sandbox.sync.cron", "0 0 0 1 1 ? 2099");
            s.put("stores." + p + "-sandbox.sync.staff-cron", "0 0 0 1 1 ? 2099");
        }
        s.putAll(extra);
        app = EmbeddedApp.start(s);
    }

    static int freePort() throws IOException {
        return com.commerceidentity.TestPorts.free();
    }

    Simulator simulator(String storeId) {
        return app.bean("sandboxStores", SandboxStores.class).simulator(storeId);
    }

    /** Runs one surface of one store to its end and returns that run's summary. */
    Map<String, Object> run(String store, String surface) {
        Exchange done = app.context().createProducerTemplate().request("direct:sync-run", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
            ex.getMessage().setHeader(SyncRuns.SURFACE, surface);
        });
        if (done.getException() != null) {
            throw new AssertionError("sync run failed", done.getException());
        }
        servedAll();
        return app.bean("syncStatus", SyncStatus.class).lastRun(store, surface);
    }

    /** The watermark saved for a surface, as the next run would start from it. */
    SyncState saved(String store, String surface) {
        return new SyncStateStore(app.bean("dataSource", javax.sql.DataSource.class), java.time.Clock.systemUTC())
                .load(store, surface);
    }

    /** Lists one surface in full and turns what vanished into deletions; returns that check's summary. */
    Map<String, Object> reconcile(String store, String surface) {
        Exchange done = app.context().createProducerTemplate().request("direct:sync-reconcile", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
            ex.getMessage().setHeader(SyncRuns.SURFACE, surface);
        });
        if (done.getException() != null) {
            throw new AssertionError("reconcile failed", done.getException());
        }
        servedAll();
        return app.bean("syncReconcile", SyncReconcile.class).lastRun(store, surface);
    }

    /** Like {@link #reconcile} for a check expected to refuse: returns its summary whatever the outcome. */
    Map<String, Object> reconcileAllowingFailure(String store, String surface) {
        app.context().createProducerTemplate().request("direct:sync-reconcile", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
            ex.getMessage().setHeader(SyncRuns.SURFACE, surface);
        });
        servedAll();
        return app.bean("syncReconcile", SyncReconcile.class).lastRun(store, surface);
    }

    /**
     * The feed serves committed events once a checkpoint on the publisher thread has them on disk; a run's
     * events are read right after it, so this waits for that the way an acknowledged input does.
     */
    void servedAll() {
        try {
            app.bean("feedEventLog", com.commerceidentity.graph.FeedEventLog.class).syncToDisk();
        } catch (java.sql.SQLException e) {
            throw new AssertionError("the feed could not be synced to disk", e);
        }
    }

    /** The last deletion check of a surface (the daily one, or the one ending a staff run). */
    Map<String, Object> reconcileOf(String store, String surface) {
        return app.bean("syncReconcile", SyncReconcile.class).lastRun(store, surface);
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    /** How often each customer account of a store entered the graph (identity.created or account.linked), via GET /feed. */
    Map<String, Integer> accountsAdded(String store) throws Exception {
        Map<String, Integer> out = new HashMap<>(accountEvents(store, "identity.created"));
        accountEvents(store, "account.linked").forEach((k, n) -> out.merge(k, n, Integer::sum));
        return out;
    }

    /** Every customer account key the feed mentions for a store in events of one type, read through GET /feed. */
    Map<String, Integer> accountEvents(String store, String type) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        long after = 0;
        for (int guard = 0; guard < 10_000; guard++) {
            JsonNode page = get("/feed?after=" + after + "&limit=1000");
            for (JsonNode e : page.get("events")) {
                String key = e.path("accountKey").asText("");
                if (key.contains(":" + store + ":customer:") && e.path("type").asText().equals(type)) {
                    out.merge(key, 1, Integer::sum);
                }
            }
            long next = page.path("next").asLong(after);
            if (page.get("events").isEmpty() || next == after) {
                return out;
            }
            after = next;
        }
        throw new AssertionError("feed did not end");
    }

    Set<String> keys(Map<String, Integer> counts) {
        return new HashSet<>(counts.keySet());
    }

    @Override
    public void close() {
        app.close();
    }
}
