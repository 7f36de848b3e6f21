package com.commerceidentity.observe;

import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.drop.RejectLog;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.store.StoreAnswerTally;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.sync.SyncStatus;
import com.commerceidentity.sync.SyncSurfaces;
import com.commerceidentity.webhook.WebhookInboxRepository;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures an on-call engineer alerts on, registered once for every configured store and surface when the
 * service has started: a counter that appears only after the first failure makes an alert on its rate silent
 * until then. Names and meanings: docs/operations.md.
 */
public final class ServiceMeters {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceMeters.class);
    private static final List<String> INBOX_STATUSES = List.of("pending", "working", "done", "ignored", "refused", "failed",
            "dead", "erased");

    private final StoreRegistry stores;
    private final RateBudgets budgets;
    private final SyncStatus sync;
    private final StoreAnswerTally answers;
    private final RejectLog rejects;
    private final FeedEventLog feed;
    private final WebhookInboxRepository inbox;
    private final Clock clock;
    private final Memo<Map<String, Long>> inboxCounts;
    private final Memo<Optional<Instant>> oldestPending;
    private volatile long headSeqSeen = -1;
    private volatile Instant headAt;

    public ServiceMeters(StoreRegistry stores, RateBudgets budgets, SyncStatus sync, StoreAnswerTally answers,
                         RejectLog rejects, FeedEventLog feed, WebhookInboxRepository inbox, Clock clock) {
        this.stores = stores;
        this.budgets = budgets;
        this.sync = sync;
        this.answers = answers;
        this.rejects = rejects;
        this.feed = feed;
        this.inbox = inbox;
        this.clock = clock;
        // a scrape reads every inbox gauge: one query each per second at most
        this.inboxCounts = new Memo<>(clock, inbox::statusCounts);
        this.oldestPending = new Memo<>(clock, inbox::oldestPendingReceivedAt);
    }

    public void registerAll(MeterRegistry registry) {
        for (StoreConfig store : stores.all()) {
            budgets.state(store); // creates (and so registers) every lane's budget now, not at its first call
            String id = store.id();
            StoreAnswerTally.Counts counts = answers.of(id);
            FunctionCounter.builder("store.auth.failures", counts, StoreAnswerTally.Counts::authFailures)
                    .tag("store", id).description("401 and 403 answers from the store").register(registry);
            FunctionCounter.builder("store.errors", counts, StoreAnswerTally.Counts::errors)
                    .tag("store", id).description("5xx, 408 and unanswered calls to the store").register(registry);
            FunctionCounter.builder("records.rejected", rejects, r -> r.rejected(id))
                    .tag("store", id).description("records refused (kept in a rejects file with the reason)")
                    .register(registry);
            for (String surface : SyncSurfaces.offered(store)) {
                if (SyncSurfaces.enabled(store, surface)) {
                    registerSurface(registry, id, surface);
                }
            }
        }
        Gauge.builder("feed.head.seq", feed, FeedEventLog::publishedSeq)
                .description("the newest event a feed reader may be shown").register(registry);
        Gauge.builder("feed.head.age", this, ServiceMeters::headAgeSeconds).baseUnit("seconds")
                .description("how long ago the newest published event occurred (NaN before the first)")
                .register(registry);
        for (String status : INBOX_STATUSES) {
            Gauge.builder("webhook.inbox.events", inboxCounts, m -> m.get().map(c -> c.getOrDefault(status, 0L))
                            .map(Long::doubleValue).orElse(Double.NaN))
                    .tag("status", status).description("webhook deliveries held in the inbox, by status")
                    .register(registry);
        }
        Gauge.builder("webhook.inbox.oldest.pending.age", this, ServiceMeters::oldestPendingSeconds)
                .baseUnit("seconds").description("how long the oldest unprocessed delivery has waited (0: none waits)")
                .register(registry);
    }

    private void registerSurface(MeterRegistry registry, String store, String surface) {
        SyncStatus.SurfaceTotals t = sync.totals(store, surface);
        String[] tags = {"store", store, "surface", surface};
        FunctionCounter.builder("sync.records", t, SyncStatus.SurfaceTotals::records).tags(tags)
                .description("records read by sync runs").register(registry);
        FunctionCounter.builder("sync.rate.limited", t, SyncStatus.SurfaceTotals::rateLimited).tags(tags)
                .description("429 or THROTTLED answers during sync runs").register(registry);
        FunctionCounter.builder("sync.runs.failed", t, SyncStatus.SurfaceTotals::failedRuns).tags(tags)
                .description("sync runs that ended failed").register(registry);
        Gauge.builder("sync.last.success.timestamp", t, s -> epochSeconds(s.lastSuccessFinished())).tags(tags)
                .baseUnit("seconds").description("when the last completed run finished (NaN before one)")
                .register(registry);
        Gauge.builder("sync.lag", t, s -> s.lastSuccessStarted() == null ? Double.NaN
                        : Duration.between(s.lastSuccessStarted(), clock.instant()).toMillis() / 1000.0).tags(tags)
                .baseUnit("seconds").description("age of the data: since the start of the last completed run")
                .register(registry);
        Gauge.builder("sync.running", sync, s -> s.current(store, surface) == null ? 0 : 1).tags(tags)
                .description("1 while a run is in progress").register(registry);
    }

    private static double epochSeconds(Instant at) {
        return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
    }

    private double headAgeSeconds() {
        long seq = feed.publishedSeq();
        if (seq <= 0) {
            return Double.NaN;
        }
        if (seq != headSeqSeen) {
            try {
                headAt = feed.occurredAt(seq).orElse(null);
                headSeqSeen = seq;
            } catch (Exception e) {
                LOG.debug("feed head time not read: {}", e.toString());
                return Double.NaN;
            }
        }
        Instant at = headAt;
        return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
    }

    private double oldestPendingSeconds() {
        return oldestPending.get().map(o -> o.map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0)
                .orElse(0.0)).orElse(Double.NaN);
    }

    /** A database read kept for a second, so one scrape of several gauges costs one query; empty when it failed. */
    private static final class Memo<T> {
        private final Clock clock;
        private final Callable<T> read;
        private Instant readAt;
        private Optional<T> value = Optional.empty();

        Memo(Clock clock, Callable<T> read) {
            this.clock = clock;
            this.read = read;
        }

        synchronized Optional<T> get() {
            Instant now = clock.instant();
            if (readAt == null || Duration.between(readAt, now).toMillis() >= 1000) {
                readAt = now;
                try {
                    value = Optional.ofNullable(read.call());
                } catch (Exception e) {
                    LOG.debug("inbox figures not read: {}", e.toString());
                    value = Optional.empty();
                }
            }
            return value;
        }
    }
}
