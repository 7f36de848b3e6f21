package com.commerceidentity.graph;

import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Surface;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Deletions the platform reports by id only (a delete webhook, a vanished record): the account as we last
 * saw it, marked deleted now, so nothing else about it changes in the graph.
 */
public final class Deletions {
    private Deletions() {
    }

    public static List<Observation> of(GraphStore store, Collection<String> accountKeys, Instant now, Surface surface,
                                       String inputRef) throws SQLException {
        List<Observation> out = new ArrayList<>();
        try (Connection c = store.connection()) {
            for (LinkedAccount a : store.accountsByKeys(c, accountKeys)) {
                if (!a.account().isDeleted()) {
                    out.add(new Observation(deleted(a.account(), now, surface), inputRef));
                }
            }
        }
        return out;
    }

    /**
     * Erasure requests for accounts we hold: each becomes the account without its personal data (email,
     * phone, names), deleted. Its version is never older than the one we hold, so the erasure is never
     * discarded as stale and an older payload replayed later cannot bring the data back.
     */
    public static List<Observation> erasures(GraphStore store, Collection<String> accountKeys, Instant now,
                                             Surface surface, String inputRef) throws SQLException {
        List<Observation> out = new ArrayList<>();
        try (Connection c = store.connection()) {
            for (LinkedAccount a : store.accountsByKeys(c, accountKeys)) {
                Account held = a.account();
                Instant version = held.version() != null && held.version().isAfter(now) ? held.version() : now;
                Instant deletedAt = held.deletedAt() != null ? held.deletedAt() : now;
                out.add(new Observation(new Account(held.key(), null, null, null, null, null, null,
                        AccountStatus.DELETED, held.createdAt(), held.updatedAt(), deletedAt, version, surface),
                        inputRef, true));
            }
        }
        return out;
    }

    public static Account deleted(Account a, Instant now, Surface surface) {
        return new Account(a.key(), a.emailRaw(), a.email(), a.phoneRaw(), a.phone(), a.firstName(), a.lastName(),
                AccountStatus.DELETED, a.createdAt(), a.updatedAt(), now, now, surface, a.access());
    }
}
