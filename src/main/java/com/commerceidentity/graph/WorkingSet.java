package com.commerceidentity.graph;

import com.commerceidentity.model.Account;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The part of the graph one batch can touch, loaded up front: every account with a key or match value in
 * the batch, and every member of their identities. Because identities are connected components of shared
 * match values, this set is closed: resolving the batch never needs another read.
 */
final class WorkingSet {
    final Map<String, LinkedAccount> accounts = new HashMap<>();
    final Map<String, IdentityRow> identities = new HashMap<>();
    final Map<String, Set<String>> members = new HashMap<>();
    private final Map<String, Set<String>> byToken = new HashMap<>();
    private final MatchPolicy policy;
    /**
     * Match keys per account object, for this batch only: resolving asks for them many times per account,
     * and each answer runs the blocklist's regular expressions. Accounts are immutable, so identity is enough.
     */
    private final Map<Account, List<MatchPolicy.MatchKey>> keys = new IdentityHashMap<>();

    private final Set<String> storedAccounts = new HashSet<>();
    private final Set<String> storedIdentities = new HashSet<>();
    final Set<String> dirtyAccounts = new LinkedHashSet<>();
    final Set<String> dirtyIdentities = new LinkedHashSet<>();

    WorkingSet(MatchPolicy policy) {
        this.policy = policy;
    }

    /** Reads everything the batch can touch: one query per kind of look-up, then the members of what they found. */
    static WorkingSet load(Connection c, GraphStore store, MatchPolicy policy, List<Observation> batch)
            throws SQLException {
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

    /** Writes the rows resolving changed, in the caller's transaction: new rows inserted, stored rows updated. */
    void persist(Connection c, GraphStore store) throws SQLException {
        List<IdentityRow> newIdentities = new ArrayList<>();
        List<IdentityRow> changedIdentities = new ArrayList<>();
        for (String id : dirtyIdentities) {
            (isStoredIdentity(id) ? changedIdentities : newIdentities).add(identities.get(id));
        }
        List<LinkedAccount> newAccounts = new ArrayList<>();
        List<LinkedAccount> changedAccounts = new ArrayList<>();
        for (String key : dirtyAccounts) {
            (isStoredAccount(key) ? changedAccounts : newAccounts).add(accounts.get(key));
        }
        store.insertIdentities(c, newIdentities);
        store.updateIdentities(c, changedIdentities);
        store.insertAccounts(c, newAccounts);
        store.updateAccounts(c, changedAccounts);
    }

    void loadAccounts(List<LinkedAccount> rows) {
        for (LinkedAccount row : rows) {
            if (storedAccounts.add(row.key())) {
                put(row);
            }
        }
    }

    void loadIdentities(Collection<IdentityRow> rows) {
        for (IdentityRow row : rows) {
            storedIdentities.add(row.id());
            identities.put(row.id(), row);
        }
    }

    /** Adds or replaces an account, keeping the membership and match-value indexes in step. */
    void put(LinkedAccount row) {
        LinkedAccount old = accounts.put(row.key(), row);
        if (old != null) {
            unindex(old);
        }
        members.computeIfAbsent(row.identityId(), id -> new LinkedHashSet<>()).add(row.key());
        for (MatchPolicy.MatchKey k : keys(row.account())) {
            byToken.computeIfAbsent(k.token(), t -> new LinkedHashSet<>()).add(row.key());
        }
    }

    private void unindex(LinkedAccount row) {
        Set<String> m = members.get(row.identityId());
        if (m != null) {
            m.remove(row.key());
        }
        for (MatchPolicy.MatchKey k : keys(row.account())) {
            Set<String> s = byToken.get(k.token());
            if (s != null) {
                s.remove(row.key());
            }
        }
    }

    List<MatchPolicy.MatchKey> keys(Account account) {
        return keys.computeIfAbsent(account, policy::keys);
    }

    void update(LinkedAccount row) {
        put(row);
        dirtyAccounts.add(row.key());
    }

    void update(IdentityRow row) {
        identities.put(row.id(), row);
        dirtyIdentities.add(row.id());
    }

    Set<String> withToken(String token) {
        return byToken.getOrDefault(token, Set.of());
    }

    Set<String> membersOf(String identityId) {
        return members.getOrDefault(identityId, Set.of());
    }

    boolean isLive(String identityId) {
        IdentityRow row = identityId == null ? null : identities.get(identityId);
        return row != null && !row.deleted() && row.mergedInto() == null;
    }

    boolean isStoredAccount(String key) {
        return storedAccounts.contains(key);
    }

    boolean isStoredIdentity(String id) {
        return storedIdentities.contains(id);
    }
}
