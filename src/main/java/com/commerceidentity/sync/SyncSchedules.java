package com.commerceidentity.sync;

import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync trigger per store and enabled surface, made from its platform's {@code <platform>-sync} route
 * template (routes/platforms/&lt;platform&gt;.yaml), so adding a store or a surface is configuration only; and one
 * {@code reconcile-schedule} (routes/sync.yaml) per customer surface. Instances are made once the route templates
 * have been loaded.
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

    /** The route template a platform's route file declares for its sync triggers. */
    public static String template(String platformId) {
        return platformId + "-sync";
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
    }

    /** Routes added while the context is still starting are not started with it, so they are added after. */
    private void schedule(CamelContext context) throws Exception {
        if (done) {
            return;
        }
        done = true;
        requireTemplates(context.getCamelContextExtension().getContextPlugin(Model.class));
        for (StoreConfig store : stores.all()) {
            if (store.sandbox() && !sandboxEnabled) {
                continue; // its simulator is not running (sandbox.enabled=false)
            }
            List<String> scheduled = surfaces.scheduled(store);
            for (String surface : scheduled) {
                String routeId = "sync-" + store.id() + "-" + surface;
                context.addRouteFromTemplate(routeId, template(store.platform().id()), Map.of(
                        "storeId", store.id(), "surface", surface, "cron", surfaces.cron(store, surface),
                        "pageSize", Integer.toString(SyncSurfaces.pageSize(store, surface))));
                this.scheduled.add(new String[] {store.id(), surface});
                if (SyncSurfaces.staff(store, surface)) {
                    continue; // each staff run deletes the staff its store no longer lists: no daily reconcile
                }
                context.addRouteFromTemplate("reconcile-" + store.id() + "-" + surface, "reconcile-schedule",
                        Map.of("storeId", store.id(), "surface", surface,
                                "cron", surfaces.reconcileCron(store, surface)));
            }
            LOG.info("store '{}' ({}): syncing {}", store.id(), store.platform().id(), scheduled);
        }
    }

    /**
     * Every platform's route file declares its sync template: a module without one could never be synced, which
     * is worth a failed start-up that names the file rather than stores that silently never run.
     */
    private static void requireTemplates(Model model) {
        for (PlatformModule module : PlatformModules.all()) {
            String template = template(module.id());
            if (model.getRouteTemplateDefinition(template) == null) {
                throw new IllegalStateException("no route template '" + template + "': routes/platforms/" + module.id()
                        + ".yaml must declare it, with the parameters storeId, surface, cron and pageSize"
                        + " (see docs/platform-modules.md)");
            }
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
            // returns at once: the run goes on a thread of its own (routes/sync.yaml, sync-start)
            producer.send("direct:sync-start", ex -> {
                ex.getMessage().setHeader(com.commerceidentity.store.StoreCalls.STORE_ID, s[0]);
                ex.getMessage().setHeader(SyncRuns.SURFACE, s[1]);
            });
        }
    }
}
