package com.commerceidentity.graph;

import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Account;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Links accounts into identities and turns every change into ordered feed events.
 *
 * <p>An identity is a connected component of accounts that share a match value (normalized email, and
 * phone where configured). Each observation is resolved against the components it touches: it may found
 * one, join one, bridge several (merge: the oldest id survives), or, when its values changed or it was
 * deleted, leave its old component, which may then fall apart (split: the part without the changed account
 * keeps the id). Batches are resolved by one writer at a time ({@link GraphWriterLock}: this process's, or
 * every node's on a shared PostgreSQL) and committed in one transaction together with their events, so the
 * feed sequence has no gaps and never runs ahead of the graph.
 */
public class IdentityGraph {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IdentityGraph.class);

    /** Counters an operator reads to see what the graph did with its input. */
    public record Stats(long observations, long stale, long unchanged, long events) {
    }

    private final GraphStore store;
    private final FeedEventLog eventLog;
    private final MatchPolicy policy;
    private final IdentitySnapshots snapshots;
    private final Clock clock;
    private final GraphWriterLock writerLock;
    private final IdentityIds identityIds = new IdentityIds();
    private final FeedEventRenderer renderer;
    private long nextSeq;
    /** The newest seq committed; {@link FeedEventLog#publishedSeq()} catches up with it. */
    private long committedSeq;
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    /** Which values link accounts (the API says when a looked-up value does not). */
    public MatchPolicy policy() {
        return policy;
    }

    public IdentityGraph(GraphStore store, FeedEventLog eventLog, MatchPolicy policy, IdentitySnapshots snapshots,
                         Clock clock) throws SQLException {
        this(store, eventLog, policy, snapshots, clock, GraphWriterLock.inProcess());
    }

    public IdentityGraph(GraphStore store, FeedEventLog eventLog, MatchPolicy policy, IdentitySnapshots snapshots,
                         Clock clock, GraphWriterLock writerLock) throws SQLException {
        this.store = store;
        this.writerLock = writerLock;
        this.eventLog = eventLog;
        this.policy = policy;
        this.snapshots = snapshots;
        this.renderer = new FeedEventRenderer(snapshots);
        this.clock = clock;
        this.nextSeq = eventLog.maxSeq() + 1;
        this.committedSeq = nextSeq - 1;
        eventLog.publishedAtStart(committedSeq);
    }

    /**
     * Numbers new events after {@code seq} when something outside the database has already shown events up to
     * it (the feed files after a power cut that H2 did not survive whole): a seq, once served, never names
     * another event, so the lost numbers stay unused.
     */
    public synchronized void continueAfter(long seq) {
        if (seq >= nextSeq) {
            LOG.error("the feed files hold events up to seq {} but the database only up to seq {}: the database lost"
                    + " committed changes (a power cut under embedded H2, or a data directory restored from an older"
                    + " copy). New events are numbered from {} so that no served seq is reused; the records behind"
                    + " the lost events are re-read by the next sync.", seq, nextSeq - 1, seq + 1);
            nextSeq = seq + 1;
        }
    }

    public Stats stats() {
        return new Stats(observations.get(), stale.get(), unchanged.get(), events.get());
    }

    public GraphStore store() {
        return store;
    }

    public FeedEventLog eventLog() {
        return eventLog;
    }

    public IdentitySnapshots snapshots() {
        return snapshots;
    }

    /**
     * Resolves a batch and commits it with its events.
     *
     * @return the events the batch produced, in sequence order (empty when nothing canonical changed)
     */
    public synchronized List<FeedEvent> apply(List<Observation> batch) throws SQLException {
        return commit(batch, null);
    }

    private volatile Runnable beforeErasure = () -> { };

    /** Runs before each erasure commits (the embedded database marks its file for compaction). */
    public void beforeErasure(Runnable hook) {
        this.beforeErasure = hook;
    }

    /** What an erasure changed: its new events, and earlier events rewritten without the personal data. */
    public record Erasure(List<FeedEvent> events, List<FeedEvent> scrubbed) {
        public static final Erasure NONE = new Erasure(List.of(), List.of());
    }

    /**
     * Applies erasure observations (see {@link Deletions#erasures}) and, in the same transaction, removes the
     * erased accounts' personal data from every stored event that shows it, so later feed reads no longer do.
     */
    public synchronized Erasure erase(List<Observation> erasures) throws SQLException {
        if (erasures == null || erasures.isEmpty()) {
            return Erasure.NONE;
        }
        beforeErasure.run();
        List<FeedEvent> scrubbed = new ArrayList<>();
        Set<String> keys = erasures.stream().map(o -> o.account().key().toString()).collect(Collectors.toSet());
        List<FeedEvent> events = commit(erasures, (c, firstNewSeq) -> {
            // Events of this commit render the erased accounts already without their data.
            List<FeedEvent> rewritten = EventScrubber.scrub(eventLog.eventsShowing(c, keys, firstNewSeq), keys,
                    snapshots.mapper());
            eventLog.updatePayloads(c, rewritten);
            scrubbed.addAll(rewritten);
        });
        return new Erasure(events, scrubbed);
    }

    @FunctionalInterface
    private interface InTransaction {
        void run(Connection c, long firstSeq) throws SQLException;
    }

    private List<FeedEvent> commit(List<Observation> batch, InTransaction more) throws SQLException {
        if (batch == null || batch.isEmpty()) {
            return List.of();
        }
        long rollbackSeq = nextSeq;
        List<FeedEvent> out = new ArrayList<>();
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                nextSeq = writerLock.acquire(c, nextSeq - 1) + 1;
                long firstSeq = nextSeq;
                WorkingSet ws = WorkingSet.load(c, store, policy, batch);
                for (Observation o : batch) {
                    if (o != null) {
                        resolve(ws, o, out);
                    }
                }
                ws.persist(c, store);
                eventLog.insertEvents(c, out);
                if (more != null) {
                    more.run(c, firstSeq);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                nextSeq = rollbackSeq;
                throw e;
            }
            observations.addAndGet(batch.size());
            events.addAndGet(out.size());
            if (!out.isEmpty()) {
                committedSeq = out.get(out.size() - 1).seq();
                publish(c);
            }
        }
        return out;
    }

    /**
     * Publishes what is committed but not yet served; the feed's housekeeping timer calls it too, so events
     * whose publication failed (a checkpoint refused by a full disk) are served once it works again.
     */
    public synchronized void publishCommitted() throws SQLException {
        if (committedSeq > eventLog.publishedSeq()) {
            try (Connection c = store.connection()) {
                publish(c);
            }
        }
    }

    /** A committed batch is never reported as failed: if it cannot be published now, a later batch or the timer does. */
    private void publish(Connection c) {
        try {
            eventLog.committed(c, committedSeq);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("events up to seq {} are committed but not yet served (retried with the next batch): {}",
                    committedSeq, e.getMessage());
        }
    }

    // ---- resolution -------------------------------------------------------------------------------------

    private void resolve(WorkingSet ws, Observation o, List<FeedEvent> out) {
        Account in = o.account();
        String key = in.key().toString();
        Instant now = clock.instant();
        LinkedAccount prev = ws.accounts.get(key);
        if (prev != null) {
            Account old = prev.account();
            if (old.version() != null && in.version() != null && in.version().isBefore(old.version())) {
                stale.incrementAndGet();
                return;
            }
            if (!o.erasure()) {
                // A fact this observation does not show (a webhook payload without tags) is not a fact removed.
                in = in.withAccess(in.access().over(old.access()));
            }
            if (old.sameCanonicalContent(in)) {
                // A record read again as it was publishes nothing: a sync's overlap, and a run resumed from the
                // earliest unfinished lane's progress re-reading what later lanes committed, rely on that.
                unchanged.incrementAndGet();
                if (!Objects.equals(old.version(), in.version())) {
                    ws.update(new LinkedAccount(in, prev.identityId(), prev.linkRule(), prev.linkValue(),
                            prev.linkedAt(), prev.inputRef()));
                }
                return;
            }
        } else if (in.isDeleted()) {
            // Nobody has seen this account: keep a tombstone so a late replay of an older create cannot
            // resurrect it, but publish nothing.
            String id = newIdentityId();
            ws.update(new IdentityRow(id, null, true, now, now));
            ws.update(new LinkedAccount(in, id, "tombstone", null, now, o.inputRef()));
            return;
        }

        String prevId = prev == null ? null : prev.identityId();
        Set<String> affected = new LinkedHashSet<>();
        if (prevId != null && ws.isLive(prevId)) {
            affected.add(prevId);
        }
        String provisional = prevId != null ? prevId : "";
        ws.update(new LinkedAccount(in, provisional,
                prev == null ? "first" : prev.linkRule(), prev == null ? null : prev.linkValue(),
                prev == null ? now : prev.linkedAt(), o.inputRef()));
        for (MatchPolicy.MatchKey k : ws.keys(in)) {
            for (String other : ws.withToken(k.token())) {
                String id = ws.accounts.get(other).identityId();
                if (!other.equals(key) && ws.isLive(id)) {
                    affected.add(id);
                }
            }
        }

        Map<String, Set<String>> before = new HashMap<>();
        Set<String> pool = new LinkedHashSet<>();
        for (String id : affected) {
            Set<String> m = new LinkedHashSet<>(ws.membersOf(id));
            before.put(id, m);
            pool.addAll(m);
        }
        pool.add(key);

        List<List<String>> components = Components.components(ws, pool, key);
        Set<String> claimed = new HashSet<>();
        Set<String> created = new LinkedHashSet<>();
        Map<String, String> identityOf = new HashMap<>();
        for (List<String> comp : components) {
            String id = Components.chooseId(ws, comp, key, prevId, claimed);
            if (id == null) {
                id = newIdentityId();
                ws.update(new IdentityRow(id, null, false, now, now));
                created.add(id);
            }
            claimed.add(id);
            for (String member : comp) {
                identityOf.put(member, id);
            }
            Components.relink(ws, comp, id, now);
        }

        // A deleted account stays where it was; only when its identity dissolves does it follow the rest.
        if (in.isDeleted()) {
            String home = prevId != null ? prevId : newIdentityId();
            identityOf.put(key, home);
            LinkedAccount self = ws.accounts.get(key);
            ws.update(self.withIdentity(home, self.linkRule(), self.linkValue(), self.linkedAt()));
        }

        Map<String, List<String>> mergedInto = new LinkedHashMap<>();
        List<String> dissolved = new ArrayList<>();
        for (String id : affected) {
            if (claimed.contains(id)) {
                ws.update(ws.identities.get(id).touched(now));
                continue;
            }
            String survivor = Components.mostCommonTarget(before.get(id), identityOf, key, in.isDeleted());
            if (survivor != null) {
                ws.update(ws.identities.get(id).mergedInto(survivor, now));
                for (String leftover : new ArrayList<>(ws.membersOf(id))) {
                    LinkedAccount a = ws.accounts.get(leftover);
                    ws.update(a.withIdentity(survivor, a.linkRule(), a.linkValue(), a.linkedAt()));
                }
                mergedInto.computeIfAbsent(survivor, s -> new ArrayList<>()).add(id);
            } else {
                ws.update(ws.identities.get(id).deleted(now));
                dissolved.add(id);
            }
        }

        String newId = ws.accounts.get(key).identityId();
        boolean accessChanged = prev != null && !o.erasure() && !in.isDeleted()
                && !prev.account().access().equals(in.access());
        for (Map.Entry<String, List<String>> m : mergedInto.entrySet()) {
            emit(ws, out, FeedEvent.IDENTITY_MERGED, m.getKey(), key, o.inputRef(), "merge", m.getValue());
        }
        if (prev == null) {
            emit(ws, out, created.contains(newId) ? FeedEvent.IDENTITY_CREATED : FeedEvent.ACCOUNT_LINKED,
                    newId, key, o.inputRef(), "new-account", null);
        } else if (o.erasure()) {
            emit(ws, out, FeedEvent.ACCOUNT_ERASED, newId, key, o.inputRef(), "erasure-request", null);
        } else if (in.isDeleted() && !prev.account().isDeleted()) {
            emit(ws, out, FeedEvent.ACCOUNT_DELETED, newId, key, o.inputRef(), "account-deleted", null);
        } else if (!Objects.equals(prevId, newId)) {
            if (ws.isLive(prevId)) {
                emit(ws, out, FeedEvent.ACCOUNT_UNLINKED, prevId, key, o.inputRef(), "match-values-changed", null);
            }
            emit(ws, out, created.contains(newId) ? FeedEvent.IDENTITY_CREATED : FeedEvent.ACCOUNT_LINKED,
                    newId, key, o.inputRef(), "match-values-changed", null);
        } else if (!prev.account().sameIdentityContent(in)) {
            emit(ws, out, FeedEvent.IDENTITY_UPDATED, newId, key, o.inputRef(), "account-updated", null);
        }
        if (accessChanged) {
            out.add(renderer.render(nextSeq++, FeedEvent.ACCOUNT_ACCESS_CHANGED, clock.instant(), newId, key,
                    o.inputRef(), "access-changed", null, prev.account().access(), in.access(), ws));
        }
        for (String id : created) {
            if (!id.equals(newId)) {
                emit(ws, out, FeedEvent.IDENTITY_CREATED, id, key, o.inputRef(), "split", null);
            }
        }
        for (String id : dissolved) {
            emit(ws, out, FeedEvent.IDENTITY_DELETED, id, key, o.inputRef(), "no-active-accounts", null);
        }
    }

    /** Numbered here, not by the renderer: the seqs belong to the commit and are handed back if it rolls back. */
    private void emit(WorkingSet ws, List<FeedEvent> out, String type, String identityId, String accountKey,
                      String inputRef, String reason, List<String> mergedIds) {
        Instant now = clock.instant();
        out.add(renderer.render(nextSeq++, type, now, identityId, accountKey, inputRef, reason, mergedIds, ws));
    }

    private String newIdentityId() {
        return identityIds.next(clock.millis());
    }
}
