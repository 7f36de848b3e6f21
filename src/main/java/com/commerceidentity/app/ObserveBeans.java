package com.commerceidentity.app;

import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.drop.RejectLog;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.graph.MatchPolicy;
import com.commerceidentity.observe.DatabaseCheck;
import com.commerceidentity.observe.RequiredRoutesCheck;
import com.commerceidentity.observe.ServiceMeters;
import com.commerceidentity.observe.StoreHealthCheck;
import com.commerceidentity.observe.WebhookInboxCheck;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.sync.SyncStatus;
import com.commerceidentity.sync.SyncSurfaces;
import com.commerceidentity.webhook.WebhookGroupCommit;
import com.commerceidentity.webhook.WebhookInboxRepository;
import java.time.Clock;
import javax.sql.DataSource;
import com.commerceidentity.observe.BudgetHistory;
import com.commerceidentity.observe.StatusPage;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;

/**
 * What ops probe and scrape on the management port (docs/operations.md): readiness checks for what the service
 * cannot work without, one health check per store, and the meters for every store and surface. The checks are
 * Camel health checks bound in the registry, so /observe/health, /observe/health/ready and /live serve them.
 */
public class ObserveBeans implements CamelConfiguration {
    @PropertyInject("app.health.required-routes")
    String requiredRoutes;
    @PropertyInject("app.health.database-timeout-seconds")
    int databaseTimeoutSeconds;

    @BindToRegistry(value = "budgetHistory", lazy = true)
    public BudgetHistory budgetHistory(@BeanInject("storeRegistry") StoreRegistry stores,
                                       @BeanInject("rateBudgets") RateBudgets budgets,
                                       @PropertyInject("app.status.budget-samples") int samples) {
        return new BudgetHistory(stores, budgets, samples);
    }

    @BindToRegistry(value = "statusPage", lazy = true)
    public StatusPage statusPage(@BeanInject("storeRegistry") StoreRegistry stores,
                                 @BeanInject("syncStatus") SyncStatus sync, @BeanInject("storeCalls") StoreCalls calls,
                                 @BeanInject("budgetHistory") BudgetHistory budgetHistory,
                                 @BeanInject("rejectLog") RejectLog rejects, @BeanInject("feedEventLog") FeedEventLog feed,
                                 @BeanInject("webhookInbox") WebhookInboxRepository inbox,
                                 @BeanInject("clock") Clock clock,
                                 @PropertyInject("app.status.poll-ms") long pollMillis,
                                 @PropertyInject("app.status.budget-sample-ms") long sampleMillis) {
        return new StatusPage(stores, sync, calls.answers(), budgetHistory, rejects, feed, inbox, clock, pollMillis,
                sampleMillis);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry r = context.getRegistry();
        StoreRegistry stores = r.lookupByNameAndType("storeRegistry", StoreRegistry.class);
        SyncStatus sync = r.lookupByNameAndType("syncStatus", SyncStatus.class);
        StoreCalls calls = r.lookupByNameAndType("storeCalls", StoreCalls.class);
        r.bind("requiredRoutesCheck", new RequiredRoutesCheck(MatchPolicy.list(requiredRoutes)));
        r.bind("databaseCheck", new DatabaseCheck(r.lookupByNameAndType("dataSource", DataSource.class),
                databaseTimeoutSeconds));
        r.bind("webhookInboxCheck", new WebhookInboxCheck(
                r.lookupByNameAndType("webhookGroupCommit", WebhookGroupCommit.class)));
        for (StoreConfig store : stores.all()) {
            r.bind("storeHealthCheck:" + store.id(), new StoreHealthCheck(store.id(),
                    SyncSurfaces.offered(store).stream().filter(s -> SyncSurfaces.enabled(store, s)).toList(),
                    sync, calls.answers()));
        }
        ServiceMeters meters = new ServiceMeters(stores, r.lookupByNameAndType("rateBudgets", RateBudgets.class), sync,
                calls.answers(), r.lookupByNameAndType("rejectLog", RejectLog.class),
                r.lookupByNameAndType("feedEventLog", FeedEventLog.class),
                r.lookupByNameAndType("webhookInbox", WebhookInboxRepository.class),
                r.lookupByNameAndType("clock", Clock.class));
        MeterLookup lookup = r.lookupByNameAndType("meterLookup", MeterLookup.class);
        // Camel's Prometheus registry exists only once its metrics service has started
        context.addStartupListener(new ReadyBanner());
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                meters.registerAll(lookup.registry());
            }
        });
    }
}
