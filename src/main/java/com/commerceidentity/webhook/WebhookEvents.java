package com.commerceidentity.webhook;

import com.commerceidentity.drop.DropInput;
import com.commerceidentity.drop.DropInputs;
import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.graph.Deletions;
import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.graph.Observation;
import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.platform.WebhookTopics;
import com.commerceidentity.model.Surface;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code webhook-process}: stored events are grouped into work, as each platform module's topic
 * table says — full payloads are mapped as they are; thin ones (ids only) are gathered per store and fetched in
 * one request per poll; deletes become deletions of the accounts we hold — and each piece of work is marked
 * done when the graph has it, or failed with its error kept in the inbox and retried on a back-off schedule until
 * it succeeds or runs out of attempts ({@code dead}, kept for ops to re-queue). Versions settle races with polling:
 * an older payload never overwrites a newer account.
 */
public class WebhookEvents {
    public static final String ACTION = "webhookAction";
    static final String DELETE_IF_GONE = "delete_if_gone";
    /** A final status: the event was judged and not applied, and is never retried. */
    static final String REFUSED = "refused";
    static final String WORK = "webhookWork";
    /** Ids per piece of work that asks the store nothing (a deletion applied as received, an erasure): one graph batch. */
    static final int MAX_IDS_PER_BATCH = 250;
    static final int MAX_RECORDS_PER_INPUT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookEvents.class);

    /**
     * One piece of work: what to do, for which store and kind, covering which stored events ({@code idsBySeq}: the
     * ids each event names, for a deletion confirmed at the source, whose events are judged one by one).
     */
    public record Work(String action, StoreConfig store, Kind kind, List<Long> seqs, List<JsonNode> records,
                       Set<String> ids, String topic, Map<Long, Set<String>> idsBySeq) {
        public Work(String action, StoreConfig store, Kind kind, List<Long> seqs, List<JsonNode> records,
                    Set<String> ids, String topic) {
            this(action, store, kind, seqs, records, ids, topic, new LinkedHashMap<>());
        }
    }

    private final WebhookInboxRepository inbox;
    private final StoreRegistry stores;
    private final GraphStore graph;
    private final ObjectMapper json;
    private final Path rejectsDir;
    private final int batch;
    private final Clock clock;
    private final RetrySchedule retries;
    private final Supplier<MeterRegistry> meters;
    private final java.util.function.Function<String, WebhookTopics> topicTables;
    private Instant lastPurge = Instant.EPOCH;

    public WebhookEvents(WebhookInboxRepository inbox, StoreRegistry stores, GraphStore graph, ObjectMapper json,
                         Path rejectsDir, int batch, Clock clock, RetrySchedule retries, Supplier<MeterRegistry> meters,
                         java.util.function.Function<String, WebhookTopics> topicTables) {
        this.topicTables = topicTables;
        this.inbox = inbox;
        this.retries = retries;
        this.meters = meters;
        this.stores = stores;
        this.graph = graph;
        this.json = json;
        this.rejectsDir = rejectsDir;
        this.batch = batch;
        this.clock = clock;
    }

    /**
     * Up to {@code app.webhooks.batch} events, oldest first, grouped into work: pending ones and failed ones whose
     * next attempt is due.
     */
    public List<Work> plan() throws SQLException {
        if (Duration.between(lastPurge, clock.instant()).toHours() >= 1) {
            lastPurge = clock.instant();
            int purged = inbox.purge();
            if (purged > 0) {
                LOG.info("webhook inbox: {} processed events past retention purged", purged);
            }
            int dead = inbox.purgeDead();
            if (dead > 0) {
                LOG.warn("webhook inbox: {} dead events past app.webhooks.dead-retention-hours deleted unapplied", dead);
            }
        }
        Map<String, Work> grouped = new LinkedHashMap<>();
        List<Work> out = new ArrayList<>();
        for (InboxEvent e : inbox.due(batch)) {
            StoreConfig store = stores.get(e.store()).orElse(null);
            JsonNode payload;
            try {
                payload = json.readTree(e.body());
            } catch (Exception ex) {
                out.add(new Work("fail", store, null, List.of(e.seq()), List.of(), Set.of(), e.topic()));
                continue;
            }
            Work w = classify(e, store, payload);
            if (w.action().equals("records") && store != null) {
                // Full payloads of one store and kind go through the pipeline together: one input, one batch.
                String key = "records/" + e.store() + "/" + w.kind();
                Work prev = grouped.get(key);
                if (prev == null || prev.records().size() >= MAX_RECORDS_PER_INPUT) {
                    Work mutable = new Work(w.action(), store, w.kind(), w.seqs(), new ArrayList<>(w.records()),
                            w.ids(), w.topic());
                    grouped.put(key, mutable);
                    out.add(mutable);
                } else {
                    prev.seqs().addAll(w.seqs());
                    prev.records().addAll(w.records());
                }
            } else if (w.action().equals("fetch") || w.action().equals("delete") || w.action().equals("erase")
                    || w.action().equals(DELETE_IF_GONE)) {
                // Thin events of one store and kind share one request; deletes and erasures one graph batch.
                String key = w.action() + "/" + e.store() + "/" + w.kind();
                Work prev = grouped.get(key);
                if (prev == null || prev.ids().size() + w.ids().size() > idsPerWork(w)) {
                    grouped.put(key, w);
                    out.add(w);
                } else {
                    prev.seqs().addAll(w.seqs());
                    prev.ids().addAll(w.ids());
                    prev.idsBySeq().putAll(w.idsBySeq());
                }
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Work that lists its ids at the store (a fetch, a deletion to confirm) names no more than the platform lists in
     * one request; a module that cannot list any fails that work when it runs (see {@link #fetch}), not the plan.
     */
    private static int idsPerWork(Work w) {
        boolean listed = w.action().equals("fetch") || w.action().equals(DELETE_IF_GONE);
        if (!listed || w.store() == null) {
            return MAX_IDS_PER_BATCH;
        }
        return PlatformModules.of(w.store().platform().id()).webhookFetch().map(WebhookFetch::maxIdsPerRequest)
                .orElse(MAX_IDS_PER_BATCH);
    }

    /** The platform module's topic table decides; an unknown topic is acknowledged and ignored. */
    private Work classify(InboxEvent e, StoreConfig store, JsonNode p) {
        List<Long> seqs = new ArrayList<>(List.of(e.seq()));
        WebhookTopics.Work w = topics(e.platform().id()).classify(e.topic(), p);
        Map<Long, Set<String>> idsBySeq = new LinkedHashMap<>();
        idsBySeq.put(e.seq(), Set.copyOf(w.ids()));
        return new Work(w.action().name().toLowerCase(java.util.Locale.ROOT), store, w.kind(), seqs,
                w.records(), new LinkedHashSet<>(w.ids()), e.topic(), idsBySeq);
    }

    private WebhookTopics topics(String platformId) {
        WebhookTopics table = topicTables.apply(platformId + "WebhookTopics");
        if (table == null) {
            throw new IllegalStateException("no webhook topic table: routes/platforms/" + platformId + ".yaml declares no"
                    + " bean '" + platformId + "WebhookTopics'");
        }
        return table;
    }

    private static WebhookFetch fetch(String platformId) {
        return PlatformModules.of(platformId).webhookFetch().orElseThrow(() -> new IllegalStateException(
                "a " + platformId + " webhook topic is declared 'fetch' or 'confirm', but the " + platformId
                        + " module cannot list records by id"));
    }

    /** Puts one piece of work on the exchange, its action in a header for the route's choice. */
    public void begin(Exchange exchange) {
        Work w = exchange.getMessage().getBody(Work.class);
        exchange.setProperty(WORK, w);
        exchange.getMessage().setHeader(ACTION, w.store() == null ? "fail" : w.action());
    }

    /** The request for the records of thin events' ids, as the platform module words it. */
    public void fetchRequest(Exchange exchange) {
        Work w = exchange.getProperty(WORK, Work.class);
        WebhookFetch lookup = fetch(w.store().platform().id());
        if (w.ids().size() > lookup.maxIdsPerRequest()) {
            // Only one event naming more ids than a page holds gets here (plan() splits the rest): a short page
            // would read as "gone" for the ids cut off, so this fails instead.
            throw new IllegalStateException(w.topic() + " names " + w.ids().size() + " ids, more than a "
                    + w.store().platform().id() + " store lists in one request (" + lookup.maxIdsPerRequest() + ")");
        }
        lookup.request(w.store(), w.kind(), w.ids()).applyTo(exchange.getMessage(), w.store());
    }

    /** The fetched records become an input of the ingest pipeline. */
    public void fetched(Exchange exchange) throws Exception {
        Work w = exchange.getProperty(WORK, Work.class);
        Message m = exchange.getMessage();
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code != 200) {
            throw new IllegalStateException("fetching " + w.ids().size() + " records for " + w.topic() + " answered HTTP " + code);
        }
        JsonNode items = fetch(w.store().platform().id()).records(json.readTree(m.getBody(String.class)), w.kind());
        List<JsonNode> records = new ArrayList<>();
        items.forEach(records::add);
        toInput(exchange, w, records);
    }

    /**
     * A deletion confirmed at the source: ids the store still lists are not deleted, and each event naming one is
     * marked {@code refused} with the reason (kept in the inbox, shown by {@code GET /webhook-inbox}); the rest of
     * the work goes on to the deletion with the ids that are gone. A store that does not answer 200 fails the
     * work, retried later like any store call.
     */
    public void confirmGone(Exchange exchange) throws Exception {
        Work w = exchange.getProperty(WORK, Work.class);
        Message m = exchange.getMessage();
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code != 200) {
            throw new IllegalStateException("confirming " + w.ids().size() + " deletion(s) for " + w.topic()
                    + " at the store answered HTTP " + code);
        }
        WebhookFetch lookup = fetch(w.store().platform().id());
        Set<String> stillThere = new LinkedHashSet<>();
        lookup.records(json.readTree(m.getBody(String.class)), w.kind()).forEach(r -> stillThere.add(lookup.id(r)));
        m.setBody(null);
        for (Map.Entry<Long, Set<String>> event : w.idsBySeq().entrySet()) {
            List<String> present = event.getValue().stream().filter(stillThere::contains).toList();
            if (!present.isEmpty()) {
                String reason = "refused: the store still has " + w.kind().id() + " " + String.join(", ", present)
                        + ", so this " + w.topic() + " is not applied (a deletion the store did not make)";
                inbox.mark(List.of(event.getKey()), REFUSED, reason);
                w.seqs().remove(event.getKey());
                LOG.warn("webhook event {} from store '{}' {}", event.getKey(), w.store().id(), reason);
            }
        }
        w.ids().removeAll(stillThere);
    }

    /** Full payloads become an input of the ingest pipeline as they are. */
    public void records(Exchange exchange) {
        Work w = exchange.getProperty(WORK, Work.class);
        toInput(exchange, w, w.records());
    }

    private void toInput(Exchange exchange, Work w, List<JsonNode> records) {
        DropInput input = new DropInput(UUID.randomUUID().toString(), w.store().platform(), w.store().id(), w.kind(),
                Surface.WEBHOOK, "webhook:" + w.store().id() + "/" + w.topic() + "#" + w.seqs().get(0),
                rejectsDir.resolve(w.store().id() + ".rejects.ndjson"));
        DropInputs.bind(exchange, input);
        List<RawRecord> raw = new ArrayList<>(records.size());
        long line = 0;
        for (JsonNode r : records) {
            raw.add(RawRecord.ok(++line, r));
        }
        exchange.getMessage().setBody(raw);
    }

    public List<Observation> deletions(Exchange exchange) throws SQLException {
        Work w = exchange.getProperty(WORK, Work.class);
        if (w.ids().isEmpty()) {
            return List.of();
        }
        String prefix = w.store().platform().id() + ":" + w.store().id() + ":" + w.kind().id() + ":";
        List<String> keys = w.ids().stream().map(id -> prefix + id).toList();
        return Deletions.of(graph, keys, clock.instant(), Surface.WEBHOOK,
                "webhook:" + w.store().id() + "/" + w.topic() + "#" + w.seqs().get(0));
    }

    public List<Observation> erasures(Exchange exchange) throws SQLException {
        Work w = exchange.getProperty(WORK, Work.class);
        String prefix = w.store().platform().id() + ":" + w.store().id() + ":" + w.kind().id() + ":";
        List<String> keys = w.ids().stream().map(id -> prefix + id).toList();
        List<Observation> erasures = Deletions.erasures(graph, keys, clock.instant(), Surface.WEBHOOK,
                "webhook:" + w.store().id() + "/" + w.topic() + "#" + w.seqs().get(0));
        int held = inbox.eraseHeld(w.store().platform(), w.store().id(), body -> concerns(w.store().platform().id(), body, w.ids()));
        LOG.info("erasure requested by store '{}' for {} account(s): {} held in the graph, {} failed webhook events"
                + " set aside", w.store().id(), keys.size(), erasures.size(), held);
        return erasures;
    }

    /** Whether a held payload is about one of the ids, as the platform's topic table reads its payloads. */
    private boolean concerns(String platformId, byte[] body, Set<String> ids) {
        JsonNode p;
        try {
            p = json.readTree(body);
        } catch (java.io.IOException e) {
            return false;
        }
        return topics(platformId).namedIds(p).stream().anyMatch(ids::contains);
    }

    public void done(Exchange exchange) throws SQLException {
        Work w = exchange.getProperty(WORK, Work.class);
        switch (w.action()) {
            case "ignore" -> {
                LOG.info("webhook topic '{}' from store '{}' is not one we act on; acknowledged and ignored", w.topic(),
                        w.store() == null ? "?" : w.store().id());
                inbox.mark(w.seqs(), "ignored", null);
            }
            default -> inbox.mark(w.seqs(), "done", null);
        }
    }

    public void failed(Exchange exchange) throws SQLException {
        Work w = exchange.getProperty(WORK, Work.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = w.store() == null ? "store is no longer configured or body is not JSON"
                : cause == null ? "unknown error" : cause.getMessage();
        for (WebhookInboxRepository.FailedAttempt a : inbox.failed(w.seqs(), reason, retries)) {
            count(a);
            if (a.dead()) {
                // The one warning per event: it now waits for ops (GET /webhook-inbox, POST /webhook-inbox/retry).
                LOG.warn("webhook event {} ({} from store '{}') is dead after {} attempts: {}", a.seq(), a.topic(),
                        a.store(), a.attempts(), reason);
            } else {
                LOG.info("webhook event {} ({} from store '{}') failed attempt {} of {}, next at {}: {}", a.seq(),
                        a.topic(), a.store(), a.attempts(), retries.maxAttempts(), a.nextAttemptAt(), reason);
            }
        }
    }

    private void count(WebhookInboxRepository.FailedAttempt a) {
        MeterRegistry registry = meters.get();
        if (registry != null) {
            Counter.builder("webhook.events.failed").tags("store", a.store(), "platform", a.platform(),
                            "outcome", a.dead() ? "dead" : "retry")
                    .description("failed attempts at applying a stored webhook event: retried later, or dead")
                    .register(registry).increment();
        }
    }
}
