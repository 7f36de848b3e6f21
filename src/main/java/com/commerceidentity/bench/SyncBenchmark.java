package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.sync.SyncRuns;
import com.commerceidentity.sync.SyncStatus;
import com.commerceidentity.sync.SyncSurfaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Backfill of N customers per platform from its sandbox store at the platform's default limits (BigCommerce
 * 150 per 30 s, Shopify REST 40 deep draining 2/s, Magento, Medusa and WooCommerce polite caps of 10/s), compared with the
 * analytic minimum those limits allow for the pages a single walk needs (records ÷ page size; pages read twice
 * where lanes meet are the run's cost, not the budget's): wall time ÷ minimum, records/s, requests in flight at
 * the simulator (time-weighted mean, max) and 429s.
 *
 * <pre>java -cp target/commerce-identity-feed.jar com.commerceidentity.bench.SyncBenchmark 100000 [platform,...]
 *     [--latency-ms 250 | 100-500] [--co-tenant-rps 1] [--bulk on]</pre>
 *
 * {@code --latency-ms} makes every answer of the simulator take that long ({@code sandbox.<platform>.latency-ms});
 * {@code --co-tenant-rps} has another app spend that many requests per second of the same budget, where the
 * simulator knows one (BigCommerce, Shopify). The minimum counts one answer's latency on top of the budget's
 * bound: the last page cannot be back sooner.
 *
 * <p>{@code --bulk on} backfills Shopify through bulk query operations ({@code stores.<id>.sync.bulk}; off by
 * default here so that the REST figures stay comparable), in {@code sync.bulk-pieces} of them over id ranges. Its
 * minimum is the time the shop needs to process the records (the sandbox's {@code bulkObjectsPerSecond}) plus two
 * answers' latency: the mutation that creates the first operation and the download of the last result (the poll
 * that finds it completed is answered as it completes). The counts before the first operation, the starts of the
 * later ones and the ingest of the last file come on top of that minimum.
 */
public final class SyncBenchmark {
    record Row(String platform, long records, long pages, double seconds, double minimum, long rateLimited,
               double meanInFlight, int maxInFlight, String note) {
    }

    /** Positional: customers, platforms; then {@code --name value} options. */
    record Args(int customers, List<String> platforms, String latency, String coTenantRps, String bulk) {
        static Args parse(String[] args) {
            List<String> positional = new ArrayList<>();
            Map<String, String> options = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    options.put(args[i].substring(2), args[++i]);
                } else {
                    positional.add(args[i]);
                }
            }
            options.keySet().stream().filter(k -> !List.of("latency-ms", "co-tenant-rps", "bulk").contains(k)).findFirst()
                    .ifPresent(k -> {
                        throw new IllegalArgumentException("unknown option --" + k + " (--latency-ms, --co-tenant-rps, --bulk)");
                    });
            int n = positional.size() > 0 ? Integer.parseInt(positional.get(0).replace("_", "")) : 100_000;
            List<String> platforms = positional.size() > 1 ? List.of(positional.get(1).split(","))
                    : com.commerceidentity.platform.PlatformModules.ids();
            String bulk = options.getOrDefault("bulk", "off");
            if (!List.of("on", "off").contains(bulk)) {
                throw new IllegalArgumentException("--bulk is on or off, not " + bulk);
            }
            return new Args(n, platforms, options.getOrDefault("latency-ms", "0"), options.get("co-tenant-rps"), bulk);
        }

        /** The mean of the latency range, in seconds. */
        double latencySeconds() {
            String[] parts = latency.split("-");
            return parts.length == 1 ? Double.parseDouble(parts[0]) / 1000
                    : (Double.parseDouble(parts[0]) + Double.parseDouble(parts[1])) / 2000;
        }
    }

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        List<Row> rows = new ArrayList<>();
        for (String platform : a.platforms()) {
            Row r = run(platform, a);
            rows.add(r);
            System.out.printf("RESULT %s: %d records, %d pages, %.1f s (minimum %.1f s, ratio %s), %.0f records/s,"
                            + " in flight mean %.2f max %d, %d 429s (latency %s ms)%n",
                    r.platform(), r.records(), r.pages(), r.seconds(), r.minimum(), ratio(r),
                    r.records() / r.seconds(), r.meanInFlight(), r.maxInFlight(), r.rateLimited(), a.latency());
            if (r.note() != null) {
                System.out.println("NOTE " + r.platform() + ": " + r.note());
            }
        }
        System.out.println();
        System.out.printf("%-12s %9s %6s %9s %9s %8s %10s %8s %6s %5s%n", "platform", "records", "pages", "seconds",
                "minimum", "ratio", "records/s", "inflight", "max", "429s");
        for (Row r : rows) {
            System.out.printf("%-12s %9d %6d %9.1f %9.1f %8s %10.0f %8.2f %6d %5d%n", r.platform(), r.records(),
                    r.pages(), r.seconds(), r.minimum(), ratio(r), r.records() / r.seconds(),
                    r.meanInFlight(), r.maxInFlight(), r.rateLimited());
        }
    }

    /**
     * Wall time ÷ minimum; "n/a" when the budget does not bind at all (BigCommerce's first 150 pages at 0 ms: a
     * minimum of 0 s, which made the ratio "Infinity").
     */
    static String ratio(Row r) {
        return r.minimum() > 0.05 ? String.format("%.3f", r.seconds() / r.minimum()) : "n/a";
    }

    private static Row run(String platform, Args a) throws Exception {
        int n = a.customers();
        Path work = BenchDir.temporary("cif-sync-bench");
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", work.resolve("data").toString());
        s.put("app.inbox-dir", work.resolve("inbox").toString());
        s.put("camel.server.port", "0");
        s.put("sandbox.enabled", "true");
        s.put("sandbox." + platform + ".customers", Integer.toString(n));
        s.put("sandbox.customers", "10");
        s.put("sandbox." + platform + ".latency-ms", a.latency());
        if (a.coTenantRps() != null) {
            s.put("sandbox." + platform + ".coTenantRequestsPerSecond", a.coTenantRps());
        }
        s.put("app.sync.run-at-start", "false");
        s.put("stores." + platform + "-sandbox.sync.bulk", a.bulk());
        for (String p : com.commerceidentity.platform.PlatformModules.ids()) {
            boolean measured = p.equals(platform);
            s.put("stores." + p + "-sandbox.sandbox", Boolean.toString(measured));
            s.put("stores." + p + "-sandbox.sync.enabled", Boolean.toString(measured));
            s.put("stores." + p + "-sandbox.sync.cron", "0 0 0 1 1 ? 2099");
        }
        s.putAll(SandboxStores.onFreePorts());
        // -Dapp.batch.size=... and the like: settings to compare, applied over the benchmark's own (sandbox.* too,
        // e.g. a Shopify Plus bucket: -Dsandbox.shopify.bucketCapacity=80 -Dsandbox.shopify.leakPerSecond=20).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("app.") || k.startsWith("stores.")
                        || k.startsWith("sandbox."))
                .forEach(k -> s.put(k, System.getProperty(k)));
        String store = platform + "-sandbox";
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            Simulator sim = app.bean("sandboxStores", SandboxStores.class).simulator(store);
            long visible = sim.records().count(RecordControl.CUSTOMER);
            System.out.printf("%s: %,d customers in the sandbox (%,d visible to the store's scope) ...%n", platform, n, visible);
            long cpuAtStart = ProcessCpu.nanos();
            long compilingAtStart = ProcessCpu.compilingMillis();
            long collectingAtStart = ProcessCpu.collectingMillis();
            long started = System.nanoTime();
            Exchange done = app.context().createProducerTemplate().request("direct:sync-run", ex -> {
                ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
                ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
            });
            long ended = System.nanoTime();
            double seconds = (ended - started) / 1e9;
            // the run ends when the last page is committed: what comes after the last answer is the graph's
            System.out.printf("last answer %.1f s after the start, %.1f s before the run ended%n",
                    (sim.counters().lastChangeNanos() - started) / 1e9, (ended - sim.counters().lastChangeNanos()) / 1e9);
            machine(seconds, ProcessCpu.nanos() - cpuAtStart, ProcessCpu.compilingMillis() - compilingAtStart,
                    ProcessCpu.collectingMillis() - collectingAtStart);
            if (done.getException() != null) {
                throw done.getException();
            }
            Map<String, Object> summary = app.bean("syncStatus", SyncStatus.class).lastRun(store, "customers");
            // what the store's budget saw: slots held for other apps (there are none here) cost the run requests
            System.out.println("budget " + app.bean("rateBudgets", com.commerceidentity.budget.RateBudgets.class)
                    .state(app.bean("storeRegistry", com.commerceidentity.store.StoreRegistry.class).get(store).orElseThrow()));
            long records = (Long) summary.get("records");
            long pages = (Long) summary.get("pages");
            // the pages a single walk needs: pages read twice (where lanes meet, where one takes over another's
            // rest) are the run's cost, not the budget's
            StoreConfig config = app.bean("storeRegistry", StoreRegistry.class).get(store).orElseThrow();
            int pageSize = SyncSurfaces.pageSize(config, "customers");
            long needed = Math.min(pages, (records + pageSize - 1) / pageSize);
            boolean bulk = summary.containsKey("note") && ((String) summary.get("note")).matches("backfilled by (\\d+ )?bulk .*");
            double minimum = bulk
                    ? records / sim.config().path("bulkObjectsPerSecond").asDouble() + 2 * a.latencySeconds()
                    : platform.equals("shopify") ? bucketMinimum(sim, needed) + a.latencySeconds()
                    : minimum(platform, needed) + a.latencySeconds();
            return new Row(platform, records, pages, seconds, minimum, sim.counters().tooManyRequests(),
                    sim.counters().meanInFlight(), sim.counters().maxInFlight(), (String) summary.get("note"));
        }
    }

    /**
     * How busy the machine was during the run. A run that kept every core busy (the simulator's share included) was
     * held back by the machine, not by the budget; in a fresh JVM on a slow machine the JIT compilers alone can take
     * one core of two for the whole run (docs/sync.md, stop 44). A second platform of the same name in the list
     * ({@code shopify,shopify}) runs again in this JVM, on compiled code.
     */
    private static void machine(double seconds, long cpuNanos, long compilingMillis, long collectingMillis) {
        int cores = Runtime.getRuntime().availableProcessors();
        double cpu = cpuNanos / 1e9;
        System.out.printf("machine: the run used %.1f s of CPU in %.1f s on %d cores (%.0f %% of them); the JIT"
                        + " compilers %s of it, the collectors %.1f s%n", cpu, seconds, cores,
                100 * cpu / (seconds * cores), compilingMillis < 0 ? "(not reported)"
                        : String.format("%.1f s", compilingMillis / 1e3), collectingMillis / 1e3);
    }

    /** Shopify: a full bucket at once, then its leak rate, as the simulator is configured (standard: 40, then 2/s). */
    static double bucketMinimum(Simulator sim, long pages) {
        double capacity = sim.config().path("bucketCapacity").asDouble(40);
        double leak = sim.config().path("leakPerSecond").asDouble(2);
        return Math.max(0, pages - capacity) / leak;
    }

    /** The least time the platform's default limit allows for {@code pages} requests (plus a login for Magento). */
    static double minimum(String platform, long pages) {
        return switch (platform) {
            // 150 at once, then the next 150 as the first ones leave the 30 s window.
            case "bigcommerce" -> Math.floor((pages - 1) / 150.0) * 30;
            // 40 at once (a full bucket), then 2 per second.
            case "shopify" -> Math.max(0, pages - 40) / 2.0;
            // one admin-token request, then 10 per second.
            case "magento" -> pages / 10.0;
            default -> (pages - 1) / 10.0;
        };
    }
}
