package com.commerceidentity.app;

import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.model.Platform;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.platform.WebhookTopics;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.webhook.DeadEventRequeue;
import com.commerceidentity.webhook.InboxReport;
import com.commerceidentity.webhook.RetrySchedule;
import com.commerceidentity.webhook.SubscriptionApi;
import com.commerceidentity.webhook.WebhookEvents;
import com.commerceidentity.webhook.WebhookGroupCommit;
import com.commerceidentity.webhook.WebhookInboxRepository;
import com.commerceidentity.webhook.WebhookReceiver;
import com.commerceidentity.webhook.WebhookRegistration;
import com.commerceidentity.webhook.WebhookVerifier;
import com.commerceidentity.webhook.WebhookWake;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** Webhooks (routes/webhooks.yaml): receiving into the durable inbox, applying, retrying, registering. */
public class WebhookBeans implements CamelConfiguration {

    /** When the inbox is read next; thin events (a topic table that fetches records) wait to share one fetch. */
    @BindToRegistry(value = "webhookWake", lazy = true)
    public WebhookWake webhookWake(CamelContext context, @PropertyInject("app.webhooks.linger-ms") long lingerMs,
                                   @PropertyInject("app.webhooks.poll-ms") long pollMs,
                                   @PropertyInject("app.webhooks.batch") int batch) {
        return new WebhookWake(lingerMs, pollMs, batch, thinPlatforms(
                name -> context.getRegistry().lookupByNameAndType(name, WebhookTopics.class)));
    }

    /**
     * Platforms whose topic table fetches records. Not every module that can list records by id: Shopify and
     * WooCommerce do so only to confirm a deletion, and their full payloads must not wait app.webhooks.poll-ms.
     * Asked when the first event of a platform is stored, after the route files bound the tables; kept.
     */
    static java.util.function.Predicate<String> thinPlatforms(java.util.function.Function<String, WebhookTopics> tables) {
        Map<String, Boolean> thin = new java.util.concurrent.ConcurrentHashMap<>();
        return platform -> thin.computeIfAbsent(platform, p -> {
            WebhookTopics table = tables.apply(p + "WebhookTopics");
            return table != null && table.fetchesRecords();
        });
    }

    /**
     * PostgreSQL's commit is durable by itself; H2's needs a sync of the whole store, so there acknowledged deliveries
     * go to a journal first and the database is synced every app.webhooks.sync-every-ms.
     */
    @BindToRegistry(value = "webhookGroupCommit", lazy = true)
    public WebhookGroupCommit webhookGroupCommit(@BeanInject("dataSource") DataSource dataSource,
                                                @BeanInject("databaseUrl") String dbUrl,
                                                @BeanInject("webhookWake") WebhookWake wake,
                                                @BeanInject("dataDir") Path dataDir,
                                                @PropertyInject("app.webhooks.commit-group-max") int groupMax,
                                                @PropertyInject("app.webhooks.sync-every-ms") long syncEveryMs) {
        return dbUrl.startsWith("jdbc:h2:")
                ? new WebhookGroupCommit(dataSource, groupMax, wake::committed,
                        dataDir.resolve("db").resolve("webhook-inbox.journal"), syncEveryMs)
                : new WebhookGroupCommit(dataSource, groupMax, wake::committed);
    }

    @BindToRegistry(value = "webhookReceiver", lazy = true)
    public WebhookReceiver webhookReceiver(@BeanInject("storeRegistry") StoreRegistry stores,
                                           @BeanInject("webhookGroupCommit") WebhookGroupCommit writer,
                                           @BeanInject("clock") Clock clock,
                                           @PropertyInject("app.webhooks.max-body-bytes") long maxBodyBytes,
                                           @PropertyInject("app.webhooks.commit-timeout-ms") long commitTimeoutMs) {
        Map<Platform, WebhookVerifier> verifiers = new HashMap<>();
        for (PlatformModule module : PlatformModules.all()) {
            verifiers.put(Platform.of(module.id()), module.webhookVerifier(clock));
        }
        return new WebhookReceiver(stores, verifiers, maxBodyBytes, clock, writer, Duration.ofMillis(commitTimeoutMs));
    }

    /** On PostgreSQL every node polls the inbox: events are claimed, so each is applied by one node. */
    @BindToRegistry(value = "webhookInbox", lazy = true)
    public WebhookInboxRepository webhookInbox(@BeanInject("dataSource") DataSource dataSource,
                                               @BeanInject("databaseUrl") String url,
                                               @BeanInject("clock") Clock clock,
                                               @PropertyInject("app.webhooks.retention-hours") long retentionHours,
                                               @PropertyInject("app.webhooks.dead-retention-hours") long deadHours,
                                               @PropertyInject("app.webhooks.claim-seconds") long claimSeconds) {
        return new WebhookInboxRepository(dataSource, Duration.ofHours(retentionHours),
                deadHours > 0 ? Duration.ofHours(deadHours) : null, clock,
                Database.shared(url) ? Duration.ofSeconds(claimSeconds) : null);
    }

    @BindToRegistry(value = "webhookRegistration", lazy = true)
    public WebhookRegistration webhookRegistration(CamelContext context, @BeanInject("storeRegistry") StoreRegistry stores,
                                                   @BeanInject("json") ObjectMapper json) {
        Map<Platform, SubscriptionApi> subscriptions = new HashMap<>();
        for (PlatformModule module : PlatformModules.all()) {
            module.subscriptionApi(json).ifPresent(api -> subscriptions.put(Platform.of(module.id()), api));
        }
        return new WebhookRegistration(stores, json, new Settings(context).optional("app.webhooks.public-url").orElse(""),
                subscriptions);
    }

    @BindToRegistry(value = "webhookRetries", lazy = true)
    public RetrySchedule webhookRetries(@PropertyInject("app.webhooks.retry.max-attempts") int maxAttempts,
                                        @PropertyInject("app.webhooks.retry.first-delay-ms") long firstDelayMs,
                                        @PropertyInject("app.webhooks.retry.max-delay-ms") long maxDelayMs) {
        return new RetrySchedule(maxAttempts, Duration.ofMillis(firstDelayMs), Duration.ofMillis(maxDelayMs));
    }

    /** Applies stored events; a platform's topic table is its route file's {@code <platform>WebhookTopics} bean. */
    @BindToRegistry(value = "webhookEvents", lazy = true)
    public WebhookEvents webhookEvents(CamelContext context, @BeanInject("webhookInbox") WebhookInboxRepository inbox,
                                       @BeanInject("storeRegistry") StoreRegistry stores,
                                       @BeanInject("graphStore") GraphStore graph, @BeanInject("json") ObjectMapper json,
                                       @BeanInject("dataDir") Path dataDir, @BeanInject("clock") Clock clock,
                                       @BeanInject("webhookRetries") RetrySchedule retries,
                                       @BeanInject("meterLookup") MeterLookup meters,
                                       @PropertyInject("app.webhooks.batch") int batch) {
        return new WebhookEvents(inbox, stores, graph, json, dataDir.resolve("rejects").resolve("webhooks"), batch, clock,
                retries, meters::registry, name -> context.getRegistry().lookupByNameAndType(name, WebhookTopics.class));
    }

    @BindToRegistry(value = "inboxReport", lazy = true)
    public InboxReport inboxReport(@BeanInject("webhookInbox") WebhookInboxRepository inbox,
                                   @BeanInject("webhookRetries") RetrySchedule retries,
                                   @BeanInject("json") ObjectMapper json) {
        return new InboxReport(inbox, retries, json);
    }

    @BindToRegistry(value = "deadEventRequeue", lazy = true)
    public DeadEventRequeue deadEventRequeue(@BeanInject("webhookInbox") WebhookInboxRepository inbox,
                                             @BeanInject("storeRegistry") StoreRegistry stores) {
        return new DeadEventRequeue(inbox, stores);
    }
}
