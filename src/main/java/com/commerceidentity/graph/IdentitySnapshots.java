package com.commerceidentity.graph;

import com.commerceidentity.model.Account;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Renders an identity (row + linked accounts + golden attributes) as the JSON that consumers see. */
public final class IdentitySnapshots {

    private final ObjectMapper json;
    private final GoldenRule golden;

    public IdentitySnapshots(ObjectMapper json, GoldenRule golden) {
        this.json = json;
        this.golden = golden;
    }

    public ObjectMapper mapper() {
        return json;
    }

    public ObjectNode snapshot(IdentityRow identity, Collection<LinkedAccount> members) {
        ObjectNode node = json.createObjectNode();
        node.put("id", identity.id());
        node.put("status", identity.deleted() ? "deleted" : identity.mergedInto() != null ? "merged" : "active");
        if (identity.mergedInto() != null) {
            node.put("mergedInto", identity.mergedInto());
        }
        List<LinkedAccount> sorted = members.stream().sorted(Comparator.comparing(LinkedAccount::key)).toList();
        GoldenRule.Golden g = golden.choose(sorted.stream().map(LinkedAccount::account).toList());
        ObjectNode gn = node.putObject("golden");
        putOpt(gn, "email", g.email());
        putOpt(gn, "phone", g.phone());
        putOpt(gn, "firstName", g.firstName());
        putOpt(gn, "lastName", g.lastName());
        putOpt(node, "createdAt", identity.createdAt());
        putOpt(node, "updatedAt", identity.updatedAt());
        ArrayNode accounts = node.putArray("accounts");
        for (LinkedAccount m : sorted) {
            accounts.add(account(m));
        }
        return node;
    }

    private ObjectNode account(LinkedAccount m) {
        Account a = m.account();
        ObjectNode n = json.createObjectNode();
        n.put("key", m.key());
        n.put("platform", a.key().platform().id());
        n.put("store", a.key().store());
        n.put("kind", a.key().kind().id());
        n.put("sourceId", a.key().sourceId());
        putOpt(n, "email", a.emailRaw());
        putOpt(n, "emailNormalized", a.email());
        putOpt(n, "phone", a.phoneRaw());
        putOpt(n, "phoneE164", a.phone());
        putOpt(n, "firstName", a.firstName());
        putOpt(n, "lastName", a.lastName());
        n.put("status", a.status().id());
        putOpt(n, "createdAt", a.createdAt());
        putOpt(n, "updatedAt", a.updatedAt());
        putOpt(n, "deletedAt", a.deletedAt());
        putOpt(n, "version", a.version());
        n.put("surface", a.surface().id());
        ObjectNode link = n.putObject("link");
        link.put("rule", m.linkRule());
        putOpt(link, "value", m.linkValue());
        putOpt(link, "linkedAt", m.linkedAt());
        return n;
    }

    private static void putOpt(ObjectNode n, String field, String v) {
        if (v != null) {
            n.put(field, v);
        }
    }

    private static void putOpt(ObjectNode n, String field, Instant v) {
        if (v != null) {
            n.put(field, v.toString());
        }
    }
}
