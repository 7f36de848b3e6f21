package com.commerceidentity.app;

import com.commerceidentity.budget.Backoff;
import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.sync.ClusterJobs;
import com.commerceidentity.sync.DatabaseSyncLeases;
import com.commerceidentity.sync.StoreChecks;
import com.commerceidentity.sync.SyncFetchSlots;
import com.commerceidentity.sync.SyncLeases;
import com.commerceidentity.sync.SyncReconcile;
import com.commerceidentity.sync.SyncRetries;
import com.commerceidentity.sync.SyncRuns;
import com.commerceidentity.sync.SyncSchedules;
import com.commerceidentity.sync.SyncStateStore;
import com.commerceidentity.sync.SyncStatus;
import com.commerceidentity.sync.SyncSurfaces;
import com.commerceidentity.sync.SyncTrigger;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** Scheduled sync (routes/sync.yaml): surfaces, runs, retries, reconciliation, status and store checks. */
public class SyncBeans implements CamelConfiguration {
    @PropertyInject("app.sync.enabled")
    boolean syncEnabled;
    @PropertyInject("app.sync.run-at-start")
    boolean runAtStart;
    @PropertyInject("sandbox.enabled")
    boolean sandboxEnabled;

    @BindToRegistry(value = "syncSurfaces", lazy = true)
    public SyncSurfaces syncSurfaces(@PropertyInject("app.sync.cron") String cron,
                                     @PropertyInject("app.sync.staff-cron") String staffCron,
                                     @PropertyInject("app.sync.reconcile-cron") String reconcileCron,
                                     @PropertyInject("app.sync.overlap-seconds") long overlapSeconds) {
        return new SyncSurfaces(cron, staffCron, reconcileCron, Duration.ofSeconds(overlapSeconds));
    }

    @BindToRegistry(value = "syncReconcile", lazy = true)
    public SyncReconcile syncReconcile(@BeanInject("storeRegistry") StoreRegistry stores,
                                       @BeanInject("syncSurfaces") SyncSurfaces surfaces,
                                       @BeanInject("graphStore") GraphStore graph, @BeanInject("clock") Clock clock,
                                       @BeanInject("syncLeases") SyncLeases leases) {
        return new SyncReconcile(stores, surfaces, graph, clock, leases);
    }

    @BindToRegistry(value = "syncStatus", lazy = true)
    public SyncStatus syncStatus(@BeanInject("storeRegistry") StoreRegistry stores,
                                 @BeanInject("syncSurfaces") SyncSurfaces surfaces,
                                 @BeanInject("syncReconcile") SyncReconcile reconcile,
                                 @BeanInject("json") ObjectMapper json, @BeanInject("clock") Clock clock) {
        SyncStatus status = new SyncStatus(stores, surfaces, json, clock);
        status.reconcile(reconcile);
        return status;
    }

    @BindToRegistry(value = "syncTrigger", lazy = true)
    public SyncTrigger syncTrigger(@BeanInject("storeRegistry") StoreRegistry stores) {
        return new SyncTrigger(stores);
    }

    @BindToRegistry(value = "storeChecks", lazy = true)
    public StoreChecks storeChecks(@BeanInject("storeRegistry") StoreRegistry stores,
                                   @BeanInject("syncSurfaces") SyncSurfaces surfaces,
                                   @BeanInject("storeCalls") StoreCalls calls, @BeanInject("json") ObjectMapper json) {
        return new StoreChecks(stores, surfaces, calls, json);
    }

    @BindToRegistry(value = "syncRetries", lazy = true)
    public SyncRetries syncRetries(@BeanInject("clock") Clock clock,
                                   @PropertyInject("app.sync.retry.first-delay-ms") long firstDelayMs,
                                   @PropertyInject("app.sync.retry.max-delay-ms") long maxDelayMs) {
        return new SyncRetries(new Backoff(firstDelayMs, maxDelayMs), clock);
    }

    @BindToRegistry(value = "syncRuns", lazy = true)
    public SyncRuns syncRuns(@BeanInject("storeRegistry") StoreRegistry stores,
                             @BeanInject("syncSurfaces") SyncSurfaces surfaces,
                             @BeanInject("dataSource") DataSource dataSource,
                             @BeanInject("syncStatus") SyncStatus status, @BeanInject("syncRetries") SyncRetries retries,
                             @BeanInject("dataDir") Path dataDir, @BeanInject("clock") Clock clock,
                             @PropertyInject("app.sync.read-ahead-bytes") long readAheadBytes,
                             @PropertyInject("app.sync.read-ahead-total-bytes") long readAheadTotalBytes,
                             @PropertyInject("app.batch.commit-timeout-ms") long commitTimeoutMs,
                             @BeanInject("syncFetchSlots") SyncFetchSlots fetchSlots,
                             @BeanInject("syncLeases") SyncLeases leases,
                             @BeanInject("rateBudgets") RateBudgets budgets) {
        SyncRuns runs = new SyncRuns(stores, surfaces, new SyncStateStore(dataSource, clock), status,
                dataDir.resolve("rejects").resolve("sync"), clock, readAheadBytes, commitTimeoutMs, retries);
        runs.fetchSlots(fetchSlots);
        if (readAheadTotalBytes < readAheadBytes) {
            throw new IllegalArgumentException("app.sync.read-ahead-total-bytes (" + readAheadTotalBytes
                    + ") must be at least app.sync.read-ahead-bytes (" + readAheadBytes + "), one run's room");
        }
        runs.readAheadTotal(readAheadTotalBytes);
        runs.leases(leases);
        runs.budgets(budgets);
        return runs;
    }

    /**
     * Which node runs each store surface. On a PostgreSQL shared by several nodes a lease row per surface, renewed
     * every app.cluster.heartbeat-ms and taken over by another node app.cluster.lease-seconds after its holder
     * stopped renewing it; on embedded H2, with one node, none.
     */
    @BindToRegistry(value = "syncLeases", lazy = true)
    public SyncLeases syncLeases(CamelContext context, @BeanInject("databaseUrl") String url,
                                 @BeanInject("dataSource") DataSource dataSource, @BeanInject("clock") Clock clock,
                                 @PropertyInject("app.cluster.lease-seconds") long leaseSeconds,
                                 @PropertyInject("app.cluster.heartbeat-ms") long heartbeatMs) {
        if (!Database.shared(url)) {
            return SyncLeases.local();
        }
        if (heartbeatMs <= 0 || leaseSeconds * 1000 < 2 * heartbeatMs) {
            throw new IllegalArgumentException("app.cluster.lease-seconds (" + leaseSeconds + ") must last at least two"
                    + " heartbeats of app.cluster.heartbeat-ms (" + heartbeatMs + "), or a busy node loses its runs");
        }
        String node = new Settings(context).optional("app.cluster.node-id")
                .orElseGet(SyncBeans::thisProcess);
        DatabaseSyncLeases leases = new DatabaseSyncLeases(dataSource, clock, node, Duration.ofSeconds(leaseSeconds));
        // Camel shuts this executor down once the routes have stopped, so a run ending during shutdown keeps its lease.
        leases.heartbeat(context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "sync-lease-heartbeat"), heartbeatMs);
        return leases;
    }

    /**
     * Which node runs the feed's own jobs (the Kafka sink, retention) when several share a database: one, by a
     * lease like a sync run's. It hands them over when it stops, so another node need not wait for the lease.
     */
    @BindToRegistry(value = "clusterJobs", lazy = true)
    public ClusterJobs clusterJobs(CamelContext context, @BeanInject("syncLeases") SyncLeases leases,
                                   @BeanInject("clock") Clock clock,
                                   @PropertyInject("app.cluster.heartbeat-ms") long heartbeatMs) throws Exception {
        ClusterJobs jobs = new ClusterJobs(leases, clock, Duration.ofMillis(heartbeatMs));
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                jobs.handOver();
            }
        }, true, true);
        return jobs;
    }

    /** Host and process id: unique per node unless two apps share one JVM (they set app.cluster.node-id). */
    private static String thisProcess() {
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + "-" + pid;
        } catch (java.net.UnknownHostException e) {
            return "node-" + pid;
        }
    }

    /** How many of a store's pages may be fetched at once: stores.<id>.sync.max-in-flight, else app.sync.max-in-flight. */
    @BindToRegistry(value = "syncFetchSlots", lazy = true)
    public SyncFetchSlots syncFetchSlots(@BeanInject("storeRegistry") StoreRegistry stores,
                                         @PropertyInject("app.sync.max-in-flight") int maxInFlight) {
        return new SyncFetchSlots(stores, maxInFlight);
    }

    /** The sync's page fetches (routes/sync.yaml); how many run at once is bounded per store by syncFetchSlots. */
    @BindToRegistry(value = "syncFetchers", lazy = true)
    public java.util.concurrent.ExecutorService syncFetchers(CamelContext context) {
        return context.getExecutorServiceManager().newCachedThreadPool(this, "sync-fetch");
    }

    /**
     * The sync runs and reconciles themselves, each on a thread of its own for as long as it lasts: every trigger
     * (cron, start-up, retry, take-over, POST) hands its run here and returns. Unbounded on purpose: a store surface
     * has one run at a time (a second trigger finds it going and is skipped), so the runs are as many as the
     * surfaces, and they wait on their stores, not on threads. Quartz's ten threads, held for a whole run, let ten
     * slow stores keep every other store's runs from starting. A platform's backfill hands the files its run waits
     * for here too (Shopify's bulk ingest): a download each, ingested after the file before it, so a few per run.
     */
    @BindToRegistry(value = "syncRunners", lazy = true)
    public java.util.concurrent.ExecutorService syncRunners(CamelContext context) {
        return context.getExecutorServiceManager().newCachedThreadPool(this, "sync-run");
    }

    /** seda:sync-pages' queue: staff pages, then runs for changes, then backfills; each rank in the order read. */
    @BindToRegistry("syncPagesQueue")
    public com.commerceidentity.sync.SyncPagesQueue syncPagesQueue() {
        return new com.commerceidentity.sync.SyncPagesQueue();
    }

    /** One Quartz route per store and surface, created once the context has started. */
    @Override
    public void configure(CamelContext context) throws Exception {
        if (syncEnabled) {
            StoreRegistry stores = context.getRegistry().lookupByNameAndType("storeRegistry", StoreRegistry.class);
            context.addStartupListener(new SyncSchedules(stores,
                    context.getRegistry().lookupByNameAndType("syncSurfaces", SyncSurfaces.class), sandboxEnabled,
                    runAtStart));
        }
    }
}
