package com.commerceidentity.app;

import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.main.Main;
import org.apache.camel.spi.Registry;

/**
 * Builds the beans the other configuration classes declare, in start-up order, before any route starts; then hands
 * the resources that must close in a fixed order to {@link ClosingService}. Its {@link #configure} runs first, after
 * Camel Main has bound every class's {@code @BindToRegistry} methods.
 */
public class StartOrder implements CamelConfiguration {
    /** While the app starts or stops, requests are answered 503 with this Retry-After. */
    @PropertyInject("app.http.stopping-retry-after-seconds")
    long retryAfter;

    /** The configuration classes, each named after its job. */
    static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(StartOrder.class,
            GraphBeans.class, IngestBeans.class, StoreBeans.class, SyncBeans.class, WebhookBeans.class, ObserveBeans.class);

    private static final List<String> BUILT_IN_ORDER = List.of("apiAccess", "json", "clock", "dataDir", "databaseUrl", "dataSource",
            "accountNormalizer", "identitySnapshots", "graphStore", "feedEventLog", "erasedPages", "identityGraph", "feedFiles",
            "feedSnapshots", "feedRetention", "feedToKafka", "feedApi", "recordReader", "rejectLog", "rejectRecorder", "recordRules", "recordChunks", "observationBatcher", "ingestBarrier",
            "graphWriter", "storeRegistry", "dropInputs", "dropOutcomes", "inboxGuard", "keptCopies", "uploadLimits", "httpProblems", "sandboxStores", "meterLookup",
            "rateBudgets", "storeRequestHeaders", "storeCalls", "storeCallRetryDelay", "storeCallBeforeRedelivery",
            "storeCallRedeliveries", "storeStatus", "syncSurfaces", "syncStatus", "syncTrigger", "storeChecks",
            "syncReconcile", "syncRetries", "syncFetchSlots", "syncFetchers", "syncRunners", "syncLeases", "syncRuns", "webhookWake", "webhookGroupCommit", "webhookReceiver",
            "webhookInbox", "webhookRegistration", "webhookRetries", "webhookEvents", "inboxReport", "deadEventRequeue", "budgetHistory", "statusPage");

    /**
     * Adds the configuration classes, and only them: Camel Main would otherwise also scan this package and run each
     * class a second time.
     */
    static void addTo(Main main) {
        main.configure().setBasePackageScanEnabled(false);
        CONFIGURATIONS.forEach(main.configure()::addConfiguration);
    }

    /**
     * A lazy bean that cannot be built fails inside Camel's reflective call; the operator is shown why (a setting
     * that names itself), not {@code InvocationTargetException}.
     */
    private static void build(Registry r, String bean) {
        try {
            r.lookupByName(bean);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && (cause instanceof org.apache.camel.RuntimeCamelException
                    || cause instanceof java.lang.reflect.InvocationTargetException)) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException runtime && cause != e) {
                throw runtime;
            }
            throw e;
        }
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // before the database and the sandbox stores: a typo in a route file is reported in a second, not after them
        RouteFilesCheck.readAll(context);
        Registry r = context.getRegistry();
        // the database and graph first (the feed continues where the files end), then the ingest pipeline, the
        // stores and their sandbox, store calls, sync, and webhooks (the inbox journal restores what a crash lost)
        for (String bean : BUILT_IN_ORDER) {
            build(r, bean);
        }
        Object dataSource = r.lookupByName("dataSource");
        Object erasedPages = r.lookupByName("erasedPages");
        Object eventLog = r.lookupByName("feedEventLog");
        Object feedFiles = r.lookupByName("feedFiles");
        Object sandbox = r.lookupByName("sandboxStores");
        Object storeCallRedeliveries = r.lookupByName("storeCallRedeliveries");
        Object webhookWriter = r.lookupByName("webhookGroupCommit");

        StartingAnswers startingAnswers = new StartingAnswers(retryAfter);
        startingAnswers.setCamelContext(context);
        context.getManagementStrategy().addEventNotifier(startingAnswers);
        StoppingAnswers stoppingAnswers = new StoppingAnswers(retryAfter);
        stoppingAnswers.setCamelContext(context);
        context.getManagementStrategy().addEventNotifier(stoppingAnswers);
        // The inbox writer first: it stores what is still queued while the database is open; the event log before the
        // feed files it publishes to; the compaction an erasure asked for last, before the pool closes.
        // the mark of a database in use last, once its pool has closed: only a clean stop removes it (InUseMark)
        Object inUseMark = r.lookupByName("databaseInUseMark");
        context.addService(new ClosingService(webhookWriter, eventLog, feedFiles, erasedPages, dataSource, sandbox,
                storeCallRedeliveries, inUseMark), true, true);
    }
}
