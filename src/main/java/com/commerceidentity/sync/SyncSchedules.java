package com.commerceidentity.sync;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code sync-schedule} route (routes/sync.yaml) per store and enabled surface, so adding a store or a
 * surface is configuration only. Instances are made once the route templates have been loaded.
 */
public class SyncSchedules implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSchedules.class);
    private final StoreRegistry stores;
    private final SyncSurfaces surfaces;
    private final boolean sandboxEnabled;
    private final boolean runAtStart;
    private final List<String[]> scheduled = new java.util.ArrayList<>();
    private boolean done;

    /**
     * @param runAtStart also start every scheduled surface once as soon as the app is up, rather than at its
     *                   first cron time (a fresh install shows data at once; a restart resumes a backfill)
     */
    public SyncSchedules(StoreRegistry stores, SyncSurfaces surfaces, boolean sandboxEnabled, boolean runAtStart) {
        this.stores = stores;
        this.surfaces = surfaces;
        this.sandboxEnabled = sandboxEnabled;
        this.runAtStart = runAtStart;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
    }

    /** Routes added while the context is still starting are not started with it, so they are added after. */
    private void schedule(CamelContext context) throws Exception {
        if (done) {
            return;
        }
        if (context.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinition("sync-schedule") == null) {
            LOG.warn("no route template 'sync-schedule' (routes/sync.yaml): no store is synced on a schedule");
            return;
        }
        done = true;
        for (StoreConfig store : stores.all()) {
            if (store.sandbox() && !sandboxEnabled) {
                continue; // its simulator is not running (sandbox.enabled=false)
            }
            List<String> scheduled = surfaces.scheduled(store);
            for (String surface : scheduled) {
                String routeId = "sync-" + store.id() + "-" + surface;
                context.addRouteFromTemplate(routeId, "sync-schedule", java.util.Map.of(
                        "storeId", store.id(), "surface", surface, "cron", surfaces.cron(store, surface)));
                this.scheduled.add(new String[] {store.id(), surface});
                if (SyncSurfaces.staff(store, surface)) {
                    continue; // each staff run deletes the staff its store no longer lists: no daily reconcile
                }
                context.addRouteFromTemplate("reconcile-" + store.id() + "-" + surface, "reconcile-schedule",
                        java.util.Map.of("storeId", store.id(), "surface", surface,
                                "cron", surfaces.reconcileCron(store, surface)));
            }
            LOG.info("store '{}' ({}): syncing {}", store.id(), store.platform().id(), scheduled);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public synchronized void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        schedule(context);
        if (!runAtStart || scheduled.isEmpty()) {
            return;
        }
        org.apache.camel.ProducerTemplate producer = context.createProducerTemplate();
        for (String[] s : scheduled) {
            producer.asyncSend("direct:sync-run", ex -> {
                ex.getMessage().setHeader(com.commerceidentity.store.StoreCalls.STORE_ID, s[0]);
                ex.getMessage().setHeader(SyncRuns.SURFACE, s[1]);
            });
        }
    }
}
