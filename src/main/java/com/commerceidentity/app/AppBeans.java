package com.commerceidentity.app;

import com.commerceidentity.drop.DropInputs;
import com.commerceidentity.drop.DropOutcomes;
import com.commerceidentity.drop.IngestBarrier;
import com.commerceidentity.drop.MapperStep;
import com.commerceidentity.drop.ObservationBatcher;
import com.commerceidentity.drop.RecordReader;
import com.commerceidentity.drop.RecordChunks;
import com.commerceidentity.drop.RejectLog;
import com.commerceidentity.drop.RejectRecorder;
import com.commerceidentity.drop.WaitForRoom;
import com.commerceidentity.feed.FeedApi;
import com.commerceidentity.feed.FeedFiles;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.graph.GoldenRule;
import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.graph.IdentityGraph;
import com.commerceidentity.graph.IdentitySnapshots;
import com.commerceidentity.graph.MatchPolicy;
import com.commerceidentity.http.HttpProblems;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.budget.Backoff;
import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.store.StoreAuth;
import com.commerceidentity.store.RedeliveryScheduler;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreRequestHeaders;
import com.commerceidentity.store.StoreStatus;
import com.commerceidentity.model.Platform;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.webhook.SubscriptionApi;
import com.commerceidentity.webhook.WebhookVerifier;
import com.commerceidentity.sync.SyncReconcile;
import com.commerceidentity.sync.SyncRetries;
import com.commerceidentity.webhook.DeadEventRequeue;
import com.commerceidentity.webhook.InboxReport;
import com.commerceidentity.webhook.RetrySchedule;
import com.commerceidentity.webhook.WebhookEvents;
import com.commerceidentity.webhook.WebhookGroupCommit;
import com.commerceidentity.webhook.WebhookWake;
import com.commerceidentity.webhook.WebhookInboxRepository;
import com.commerceidentity.webhook.WebhookReceiver;
import com.commerceidentity.webhook.WebhookRegistration;
import com.commerceidentity.sync.SyncFetchSlots;
import com.commerceidentity.sync.SyncRuns;
import com.commerceidentity.sync.SyncSchedules;
import com.commerceidentity.sync.SyncStateStore;
import com.commerceidentity.sync.SyncStatus;
import com.commerceidentity.sync.SyncSurfaces;
import com.commerceidentity.sync.SyncTrigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.store.StoreSandbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Builds the beans the routes call, from the operator's settings. Everything the routes reference by name
 * ({@code identityGraph}, {@code feedFiles}, one {@code <platform>Accounts} per platform module, ...) is bound here.
 */
public class AppBeans implements CamelConfiguration {

    /** Default blocklist: addresses that many unrelated people share, so they must never merge anyone. */
    static final String DEFAULT_BLOCKED_EMAILS = "(no-?reply|do-?not-?reply|noemail|none|null|test|example|unknown)@.*,"
            + ".*@(example\\.(com|org|net)|test\\.com|mailinator\\.com|invalid)";

    @Override
    public void configure(CamelContext context) throws Exception {
        // With both metrics and the management server on, Camel Main runs configuration classes a second time
        // on the same context; binding twice would open a second database pool and start the sandboxes again.
        if (context.getRegistry().lookupByName("storeRegistry") != null) {
            return;
        }
        Settings s = new Settings(context);
        Clock clock = Clock.systemUTC();
        Path dataDir = Path.of(s.text("app.data-dir")).toAbsolutePath();
        Path inbox = Path.of(s.text("app.inbox-dir")).toAbsolutePath();
        ObjectMapper json = new ObjectMapper();

        String dbUrl = s.optional("app.db.url").orElse("jdbc:h2:file:" + dataDir.resolve("db").resolve("identity"));
        DataSource dataSource = Database.open(dbUrl,
                s.text("app.db.user"), s.optional("app.db.password").orElse(""),
                (int) s.number("app.db.max-connections"));
        Database.migrate(dataSource);
        boolean matchPhones = s.flag("app.match.phone");
        Database.indexPhones(dataSource, matchPhones);

        AccountNormalizer normalizer = new AccountNormalizer(s.text("app.phone.default-region"));
        MatchPolicy policy = new MatchPolicy(matchPhones,
                MatchPolicy.list(s.optional("app.match.blocked-emails").orElse(DEFAULT_BLOCKED_EMAILS)),
                MatchPolicy.list(s.optional("app.match.blocked-phones").orElse("")));
        GoldenRule golden = GoldenRule.of(s.text("app.golden.rule"),
                MatchPolicy.list(s.optional("app.golden.platform-priority").orElse("")));
        IdentitySnapshots snapshots = new IdentitySnapshots(json, golden);
        GraphStore store = new GraphStore(dataSource);
        FeedEventLog eventLog = new FeedEventLog(store);
        eventLog.startGroupPublishing(s.number("app.feed.publish-retry-ms"));
        IdentityGraph graph = new IdentityGraph(store, eventLog, policy, snapshots, clock);
        FeedFiles feedFiles = new FeedFiles(dataDir.resolve("feed"), s.number("app.feed.roll-bytes"),
                Duration.ofSeconds(s.number("app.feed.roll-seconds")), clock, eventLog, json);
        graph.continueAfter(feedFiles.lastSeq());
        DropInputs dropInputs = new DropInputs(inbox, dataDir, s.optional("app.drop.token").orElse(""),
                s.number("app.drop.max-body-bytes"), clock);

        Registry r = context.getRegistry();
        r.bind("json", json);
        r.bind("accountNormalizer", normalizer);
        r.bind("identityGraph", graph);
        r.bind("feedFiles", feedFiles);
        r.bind("feedEventLog", eventLog);
        r.bind("feedApi", new FeedApi(store, eventLog, snapshots, normalizer,
                (int) s.number("app.feed.page-default"), (int) s.number("app.feed.page-max")));
        r.bind("recordReader", new RecordReader(json));
        RejectRecorder rejects = new RejectRecorder(new RejectLog(json));
        r.bind("recordChunks", new RecordChunks((int) s.number("app.ingest.chunk-size")));
        r.bind("rejectRecorder", rejects);
        r.bind("observationBatcher", new ObservationBatcher());
        r.bind("ingestBarrier", new IngestBarrier(s.number("app.batch.commit-timeout-ms"), eventLog));
        ExecutorService graphWriter = context.getExecutorServiceManager().newThreadPool(this, "graph-writer",
                new org.apache.camel.builder.ThreadPoolProfileBuilder("graph-writer").poolSize(1).maxPoolSize(1)
                        .maxQueueSize((int) s.number("app.batch.queued")).build());
        ((java.util.concurrent.ThreadPoolExecutor) graphWriter).setRejectedExecutionHandler(new WaitForRoom());
        r.bind("graphWriter", graphWriter);
        r.bind("dropInputs", dropInputs);
        r.bind("dropOutcomes", new DropOutcomes(json, dropInputs.errorDir()));
        r.bind("httpProblems", new HttpProblems(json, s.number("app.http.stopping-retry-after-seconds")));
        // one mapping bean per platform module, <id>Accounts, called by its route file's map-<id> route
        for (PlatformModule module : PlatformModules.all()) {
            r.bind(module.id() + "Accounts", new MapperStep(module.mapper(normalizer), rejects));
        }

        // A store given only on the command line (-Dstores.<id>.platform=...) is a store too: the properties
        // files do not list it, and their loader does not enumerate system properties.
        java.util.Properties storeKeys = new java.util.Properties();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("stores."))
                .forEach(k -> storeKeys.setProperty(k, System.getProperty(k)));
        java.util.Properties listed = context.getPropertiesComponent().loadProperties(k -> k.startsWith("stores."));
        listed.stringPropertyNames().forEach(k -> storeKeys.setProperty(k, listed.getProperty(k)));
        StoreRegistry stores = StoreRegistry.load(storeKeys, key -> context.getPropertiesComponent().resolveProperty(key));
        r.bind("storeRegistry", stores);
        StoreSandbox sandbox = null;
        if (s.flag("sandbox.enabled")) {
            StoreSandbox.Provider provider = java.util.ServiceLoader.load(StoreSandbox.Provider.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("sandbox.enabled=true but this build has no sandbox"));
            sandbox = provider.start(stores, s.withPrefix("sandbox."));
        }

        MeterRegistry fallbackMeters = new SimpleMeterRegistry();
        // Camel's registry appears once metrics start, after this runs: look it up when a meter is first needed.
        Supplier<MeterRegistry> meters = () -> {
            MeterRegistry camelMeters = context.getRegistry().findSingleByType(MeterRegistry.class);
            return camelMeters != null ? camelMeters : fallbackMeters;
        };
        RateBudgets budgets = new RateBudgets(meters);
        r.bind("rateBudgets", budgets);
        r.bind("storeRequestHeaders", new StoreRequestHeaders());
        StoreCalls storeCalls = new StoreCalls(stores, budgets, new StoreAuth(json, clock),
                new Backoff(s.number("app.store-call.backoff-base-ms"), s.number("app.store-call.backoff-max-ms")),
                (int) s.number("app.store-call.max-attempts"), (int) s.number("app.store-call.max-rate-limited"), json);
        r.bind("storeCalls", storeCalls);
        // direct:store-call's error handler (routes/store-calls.yaml): the delay, what happens before a
        // redelivery, and where the delay is waited out
        r.bind("storeCallRetryDelay", storeCalls.retryDelay());
        r.bind("storeCallBeforeRedelivery", storeCalls.beforeRedelivery());
        RedeliveryScheduler storeCallRedeliveries = new RedeliveryScheduler(
                context.getExecutorServiceManager().newCachedThreadPool(this, "store-call-redelivery"));
        r.bind("storeCallRedeliveries", storeCallRedeliveries);
        r.bind("storeStatus", new StoreStatus(stores, budgets, json));

        if (sandbox != null) {
            r.bind("sandboxStores", sandbox);
        }

        SyncSurfaces surfaces = new SyncSurfaces(s.text("app.sync.cron"), s.text("app.sync.staff-cron"), s.text("app.sync.reconcile-cron"),
                Duration.ofSeconds(s.number("app.sync.overlap-seconds")));
        SyncStatus syncStatus = new SyncStatus(stores, surfaces, json, clock);
        r.bind("syncStatus", syncStatus);
        r.bind("syncTrigger", new SyncTrigger(stores));
        r.bind("storeChecks", new com.commerceidentity.sync.StoreChecks(stores, surfaces, storeCalls, json));
        SyncReconcile reconcile = new SyncReconcile(stores, surfaces, store, clock);
        syncStatus.reconcile(reconcile);
        r.bind("syncReconcile", reconcile);
        SyncRetries syncRetries = new SyncRetries(
                new Backoff(s.number("app.sync.retry.first-delay-ms"),
                        s.number("app.sync.retry.max-delay-ms")), clock);
        r.bind("syncRetries", syncRetries);
        SyncRuns syncRuns = new SyncRuns(stores, surfaces, new SyncStateStore(dataSource, clock), syncStatus,
                dataDir.resolve("rejects").resolve("sync"), clock, s.number("app.sync.read-ahead-bytes"),
                s.number("app.batch.commit-timeout-ms"), syncRetries);
        r.bind("syncRuns", syncRuns);
        SyncFetchSlots syncFetchSlots = new SyncFetchSlots(stores, (int) s.number("app.sync.max-in-flight"));
        r.bind("syncFetchSlots", syncFetchSlots);
        syncRuns.fetchSlots(syncFetchSlots);
        // The sync's page fetches; how many run at once is bounded per store by syncFetchSlots.
        r.bind("syncFetchers", context.getExecutorServiceManager().newCachedThreadPool(this, "sync-fetch"));
        int webhookBatch = (int) s.number("app.webhooks.batch");
        WebhookWake webhookWake = new WebhookWake(s.number("app.webhooks.linger-ms"),
                s.number("app.webhooks.poll-ms"), webhookBatch,
                PlatformModules.all().stream().filter(m -> m.webhookFetch().isPresent()).map(PlatformModule::id)
                        .collect(java.util.stream.Collectors.toSet()));
        r.bind("webhookWake", webhookWake);
        // PostgreSQL's commit is durable by itself; H2's needs a sync of the whole store, so there acknowledged
        // deliveries go to a journal first and the database is synced every app.webhooks.sync-every-ms.
        int groupMax = (int) s.number("app.webhooks.commit-group-max");
        WebhookGroupCommit webhookWriter = dbUrl.startsWith("jdbc:h2:")
                ? new WebhookGroupCommit(dataSource, groupMax, webhookWake::committed,
                        dataDir.resolve("db").resolve("webhook-inbox.journal"), s.number("app.webhooks.sync-every-ms"))
                : new WebhookGroupCommit(dataSource, groupMax, webhookWake::committed);
        Map<Platform, WebhookVerifier> verifiers = new java.util.HashMap<>();
        Map<Platform, SubscriptionApi> subscriptions = new java.util.HashMap<>();
        for (PlatformModule module : PlatformModules.all()) {
            verifiers.put(Platform.of(module.id()), module.webhookVerifier(clock));
            module.subscriptionApi(json).ifPresent(api -> subscriptions.put(Platform.of(module.id()), api));
        }
        r.bind("webhookReceiver", new WebhookReceiver(stores, verifiers, s.number("app.webhooks.max-body-bytes"), clock,
                webhookWriter, Duration.ofMillis(s.number("app.webhooks.commit-timeout-ms"))));
        WebhookInboxRepository webhookInbox = new WebhookInboxRepository(dataSource,
                Duration.ofHours(s.number("app.webhooks.retention-hours")), clock);
        r.bind("webhookInbox", webhookInbox);
        r.bind("webhookRegistration", new WebhookRegistration(stores, json, s.optional("app.webhooks.public-url").orElse(""),
                subscriptions));
        RetrySchedule webhookRetries = new RetrySchedule((int) s.number("app.webhooks.retry.max-attempts"),
                Duration.ofMillis(s.number("app.webhooks.retry.first-delay-ms")),
                Duration.ofMillis(s.number("app.webhooks.retry.max-delay-ms")));
        r.bind("webhookEvents", new WebhookEvents(webhookInbox, stores, store, json,
                dataDir.resolve("rejects").resolve("webhooks"), webhookBatch, clock,
                webhookRetries, meters,
                name -> context.getRegistry().lookupByNameAndType(name, com.commerceidentity.platform.WebhookTopics.class)));
        r.bind("inboxReport", new InboxReport(webhookInbox, webhookRetries, json));
        r.bind("deadEventRequeue", new DeadEventRequeue(webhookInbox, stores));

        if (s.flag("app.sync.enabled")) {
            context.addStartupListener(new SyncSchedules(stores, surfaces, sandbox != null,
                    s.flag("app.sync.run-at-start")));
        }
        StartingAnswers startingAnswers = new StartingAnswers(s.number("app.http.stopping-retry-after-seconds"));
        startingAnswers.setCamelContext(context);
        context.getManagementStrategy().addEventNotifier(startingAnswers);
        StoppingAnswers stoppingAnswers = new StoppingAnswers(s.number("app.http.stopping-retry-after-seconds"));
        stoppingAnswers.setCamelContext(context);
        context.getManagementStrategy().addEventNotifier(stoppingAnswers);
        // The inbox writer first: it stores what is still queued while the database is open.
        context.addService(new ClosingService(webhookWriter, eventLog, feedFiles, dataSource, sandbox, storeCallRedeliveries),
                true, true);
    }
}
