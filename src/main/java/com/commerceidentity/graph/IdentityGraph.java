package com.commerceidentity.graph;

import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Account;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * keeps the id). Batches are resolved by one writer at a time and committed in one transaction together
 * with their events, so the feed sequence has no gaps and never runs ahead of the graph.
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
    private final IdentityIds identityIds = new IdentityIds();
    /** Reused for every event (apply is synchronized): rendering straight to UTF-8 bytes, one copy out. */
    private final ByteArrayOutputStream eventBuffer = new ByteArrayOutputStream(4096);
    private long nextSeq;
    /** The newest seq committed; {@link FeedEventLog#publishedSeq()} catches up with it. */
    private long committedSeq;
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    public IdentityGraph(GraphStore store, FeedEventLog eventLog, MatchPolicy policy, IdentitySnapshots snapshots,
                         Clock clock) throws SQLException {
        this.store = store;
        this.eventLog = eventLog;
        this.policy = policy;
        this.snapshots = snapshots;
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
        List<FeedEvent> scrubbed = new ArrayList<>();
        long firstNewSeq = nextSeq;
        Set<String> keys = erasures.stream().map(o -> o.account().key().toString()).collect(Collectors.toSet());
        List<FeedEvent> events = commit(erasures, c -> {
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
        void run(Connection c) throws SQLException;
    }

    private List<FeedEvent> commit(List<Observation> batch, InTransaction more) throws SQLException {
        if (batch == null || batch.isEmpty()) {
            return List.of();
        }
        long firstSeq = nextSeq;
        List<FeedEvent> out = new ArrayList<>();
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                WorkingSet ws = load(c, batch);
                for (Observation o : batch) {
                    if (o != null) {
                        resolve(ws, o, out);
                    }
                }
                persist(c, ws, out);
                if (more != null) {
                    more.run(c);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                nextSeq = firstSeq;
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
            eventLog.published(c, committedSeq);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("events up to seq {} are committed but not yet served (retried with the next batch): {}",
                    committedSeq, e.getMessage());
        }
    }

    private WorkingSet load(Connection c, List<Observation> batch) throws SQLException {
        WorkingSet ws = new WorkingSet(policy);
        Set<String> keys = new HashSet<>();
        Set<String> emails = new HashSet<>();
        Set<String> phones = new HashSet<>();
        for (Observation o : batch) {
            if (o == null) {
                continue;
            }
            Account a = o.account();
            keys.add(a.key().toString());
            for (MatchPolicy.MatchKey k : ws.keys(a)) {
                (MatchPolicy.RULE_EMAIL.equals(k.rule()) ? emails : phones).add(k.value());
            }
        }
        List<LinkedAccount> direct = new ArrayList<>(store.accountsByKeys(c, keys));
        direct.addAll(store.accountsByEmails(c, emails));
        direct.addAll(store.accountsByPhones(c, phones));
        Set<String> ids = direct.stream().map(LinkedAccount::identityId).collect(Collectors.toSet());
        ws.loadAccounts(direct);
        if (!ids.isEmpty()) {
            ws.loadAccounts(store.accountsByIdentities(c, ids));
            ws.loadIdentities(store.identities(c, ids).values());
        }
        return ws;
    }

    private void persist(Connection c, WorkingSet ws, List<FeedEvent> out) throws SQLException {
        List<IdentityRow> newIdentities = new ArrayList<>();
        List<IdentityRow> changedIdentities = new ArrayList<>();
        for (String id : ws.dirtyIdentities) {
            (ws.isStoredIdentity(id) ? changedIdentities : newIdentities).add(ws.identities.get(id));
        }
        List<LinkedAccount> newAccounts = new ArrayList<>();
        List<LinkedAccount> changedAccounts = new ArrayList<>();
        for (String key : ws.dirtyAccounts) {
            (ws.isStoredAccount(key) ? changedAccounts : newAccounts).add(ws.accounts.get(key));
        }
        store.insertIdentities(c, newIdentities);
        store.updateIdentities(c, changedIdentities);
        store.insertAccounts(c, newAccounts);
        store.updateAccounts(c, changedAccounts);
        eventLog.insertEvents(c, out);
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
            if (old.sameCanonicalContent(in)) {
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

        List<List<String>> components = components(ws, pool, key);
        Set<String> claimed = new HashSet<>();
        Set<String> created = new LinkedHashSet<>();
        Map<String, String> identityOf = new HashMap<>();
        for (List<String> comp : components) {
            String id = chooseId(ws, comp, key, prevId, claimed);
            if (id == null) {
                id = newIdentityId();
                ws.update(new IdentityRow(id, null, false, now, now));
                created.add(id);
            }
            claimed.add(id);
            for (String member : comp) {
                identityOf.put(member, id);
            }
            relink(ws, comp, id, now);
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
            String survivor = mostCommonTarget(before.get(id), identityOf, key, in.isDeleted());
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
        } else {
            emit(ws, out, FeedEvent.IDENTITY_UPDATED, newId, key, o.inputRef(), "account-updated", null);
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

    /**
     * Connected components of the live accounts in the pool. Components without the changed account come
     * first (largest first), so that the people who did not change keep their identity id.
     */
    private List<List<String>> components(WorkingSet ws, Set<String> pool, String changedKey) {
        if (pool.size() == 1) {
            // Most observations touch no one else (a new person, or a change that keeps every tie): no
            // union-find to build for a component of one.
            return ws.accounts.get(changedKey).account().isDeleted() ? List.of() : List.of(List.of(changedKey));
        }
        Map<String, String> parent = new HashMap<>();
        Map<String, String> firstWithToken = new HashMap<>();
        List<String> live = new ArrayList<>();
        for (String k : pool) {
            LinkedAccount a = ws.accounts.get(k);
            if (a.account().isDeleted()) {
                continue;
            }
            live.add(k);
            parent.put(k, k);
            for (MatchPolicy.MatchKey mk : ws.keys(a.account())) {
                String other = firstWithToken.putIfAbsent(mk.token(), k);
                if (other != null) {
                    union(parent, k, other);
                }
            }
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String k : live) {
            groups.computeIfAbsent(find(parent, k), r -> new ArrayList<>()).add(k);
        }
        List<List<String>> out = new ArrayList<>(groups.values());
        out.sort(Comparator.<List<String>, Boolean>comparing(c -> c.contains(changedKey))
                .thenComparing(c -> -c.size()));
        return out;
    }

    private static String find(Map<String, String> parent, String k) {
        String root = k;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        while (!parent.get(k).equals(root)) {
            String next = parent.get(k);
            parent.put(k, root);
            k = next;
        }
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    /** The oldest live identity among the component's members (other than the changed account), if free. */
    private String chooseId(WorkingSet ws, List<String> comp, String changedKey, String prevId, Set<String> claimed) {
        String best = null;
        for (String member : comp) {
            if (member.equals(changedKey)) {
                continue;
            }
            String id = ws.accounts.get(member).identityId();
            if (ws.isLive(id) && !claimed.contains(id) && older(ws, id, best)) {
                best = id;
            }
        }
        if (best == null && comp.contains(changedKey) && ws.isLive(prevId) && !claimed.contains(prevId)) {
            best = prevId;
        }
        return best;
    }

    private static boolean older(WorkingSet ws, String candidate, String best) {
        if (best == null) {
            return true;
        }
        IdentityRow c = ws.identities.get(candidate);
        IdentityRow b = ws.identities.get(best);
        int cmp = c.createdAt().compareTo(b.createdAt());
        return cmp < 0 || (cmp == 0 && candidate.compareTo(best) < 0);
    }

    /** Moves the component's members to the identity and refreshes each link's evidence. */
    private void relink(WorkingSet ws, List<String> comp, String id, Instant now) {
        Map<String, Integer> tokenCounts = new HashMap<>();
        for (String member : comp) {
            for (MatchPolicy.MatchKey mk : ws.keys(ws.accounts.get(member).account())) {
                tokenCounts.merge(mk.token(), 1, Integer::sum);
            }
        }
        for (String member : comp) {
            LinkedAccount a = ws.accounts.get(member);
            String rule = "first";
            String value = null;
            for (MatchPolicy.MatchKey mk : ws.keys(a.account())) {
                if (tokenCounts.get(mk.token()) > 1) {
                    rule = mk.rule();
                    value = mk.value();
                    break;
                }
            }
            boolean moved = !id.equals(a.identityId());
            if (moved || !rule.equals(a.linkRule()) || !Objects.equals(value, a.linkValue())) {
                ws.update(a.withIdentity(id, rule, value, moved ? now : a.linkedAt()));
            }
        }
    }

    private static String mostCommonTarget(Set<String> formerMembers, Map<String, String> identityOf,
                                           String changedKey, boolean changedIsDeleted) {
        Map<String, Integer> counts = new HashMap<>();
        for (String m : formerMembers) {
            if (m.equals(changedKey) && changedIsDeleted) {
                continue;
            }
            String target = identityOf.get(m);
            if (target != null) {
                counts.merge(target, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey,
                        Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse(null);
    }

    private void emit(WorkingSet ws, List<FeedEvent> out, String type, String identityId, String accountKey,
                      String inputRef, String reason, List<String> mergedIds) {
        Instant now = clock.instant();
        long seq = nextSeq++;
        eventBuffer.reset();
        try (JsonGenerator g = snapshots.mapper().getFactory().createGenerator(eventBuffer)) {
            g.writeStartObject();
            g.writeNumberField("seq", seq);
            g.writeStringField("type", type);
            g.writeStringField("occurredAt", now.toString());
            g.writeStringField("identityId", identityId);
            g.writeStringField("accountKey", accountKey);
            g.writeObjectFieldStart("cause");
            g.writeStringField("reason", reason);
            g.writeStringField("account", accountKey);
            if (inputRef != null) {
                g.writeStringField("input", inputRef);
            }
            g.writeEndObject();
            if (mergedIds != null) {
                g.writeArrayFieldStart("mergedIds");
                for (String id : mergedIds) {
                    g.writeString(id);
                }
                g.writeEndArray();
            }
            List<LinkedAccount> members = new ArrayList<>();
            for (String m : ws.membersOf(identityId)) {
                members.add(ws.accounts.get(m));
            }
            g.writeFieldName("identity");
            snapshots.write(g, ws.identities.get(identityId), members);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render feed event " + seq, e);
        }
        out.add(new FeedEvent(seq, type, identityId, accountKey, now, eventBuffer.toByteArray()));
    }

    private String newIdentityId() {
        return identityIds.next(clock.millis());
    }
}
