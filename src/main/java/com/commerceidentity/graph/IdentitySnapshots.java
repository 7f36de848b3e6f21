package com.commerceidentity.graph;

import com.commerceidentity.model.Access;
import com.commerceidentity.model.Account;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Renders an identity (row + linked accounts + golden attributes) as the JSON that consumers see. The feed
 * writes it straight into the event's generator (every record of a drop renders at least one snapshot, so
 * no intermediate tree); the HTTP look-ups get the same tokens as a tree.
 */
public final class IdentitySnapshots {

    private static final Comparator<LinkedAccount> BY_KEY = Comparator.comparing(LinkedAccount::key);

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
        try (TokenBuffer buffer = new TokenBuffer(json, false)) {
            write(buffer, identity, members);
            return json.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render identity " + identity.id(), e);
        }
    }

    /** Writes the snapshot as one JSON object at the generator's current position. */
    public void write(JsonGenerator g, IdentityRow identity, Collection<LinkedAccount> members) throws IOException {
        char[] buf = new char[IsoInstants.BUFFER];
        g.writeStartObject();
        g.writeStringField("id", identity.id());
        g.writeStringField("status", identity.deleted() ? "deleted" : identity.mergedInto() != null ? "merged" : "active");
        if (identity.mergedInto() != null) {
            g.writeStringField("mergedInto", identity.mergedInto());
        }
        List<LinkedAccount> sorted = new ArrayList<>(members);
        sorted.sort(BY_KEY);
        List<Account> accounts = new ArrayList<>(sorted.size());
        for (LinkedAccount m : sorted) {
            accounts.add(m.account());
        }
        GoldenRule.Golden gold = golden.choose(accounts);
        g.writeObjectFieldStart("golden");
        opt(g, "email", gold.email());
        opt(g, "phone", gold.phone());
        opt(g, "firstName", gold.firstName());
        opt(g, "lastName", gold.lastName());
        g.writeEndObject();
        opt(g, "createdAt", identity.createdAt(), buf);
        opt(g, "updatedAt", identity.updatedAt(), buf);
        g.writeArrayFieldStart("accounts");
        for (LinkedAccount m : sorted) {
            account(g, m, buf);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void account(JsonGenerator g, LinkedAccount m, char[] buf) throws IOException {
        Account a = m.account();
        g.writeStartObject();
        g.writeStringField("key", m.key());
        g.writeStringField("platform", a.key().platform().id());
        g.writeStringField("store", a.key().store());
        g.writeStringField("kind", a.key().kind().id());
        g.writeStringField("sourceId", a.key().sourceId());
        opt(g, "email", a.emailRaw());
        opt(g, "emailNormalized", a.email());
        opt(g, "phone", a.phoneRaw());
        opt(g, "phoneE164", a.phone());
        opt(g, "firstName", a.firstName());
        opt(g, "lastName", a.lastName());
        g.writeStringField("status", a.status().id());
        opt(g, "createdAt", a.createdAt(), buf);
        opt(g, "updatedAt", a.updatedAt(), buf);
        opt(g, "deletedAt", a.deletedAt(), buf);
        opt(g, "version", a.version(), buf);
        g.writeStringField("surface", a.surface().id());
        if (!a.access().isEmpty()) {
            g.writeFieldName("access");
            writeAccess(g, a.access());
        }
        g.writeObjectFieldStart("link");
        g.writeStringField("rule", m.linkRule());
        opt(g, "value", m.linkValue());
        opt(g, "linkedAt", m.linkedAt(), buf);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The access facts an account shows, each left out when not shown; lists stay as given, even empty. */
    static void writeAccess(JsonGenerator g, Access x) throws IOException {
        g.writeStartObject();
        opt(g, "accountType", x.accountType());
        if (x.owner() != null) {
            g.writeBooleanField("owner", x.owner());
        }
        list(g, "roles", x.roles());
        opt(g, "state", x.state());
        list(g, "tags", x.tags());
        opt(g, "group", x.group());
        g.writeEndObject();
    }

    private static void list(JsonGenerator g, String field, List<String> values) throws IOException {
        if (values != null) {
            g.writeArrayFieldStart(field);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }

    private static void opt(JsonGenerator g, String field, String v) throws IOException {
        if (v != null) {
            g.writeStringField(field, v);
        }
    }

    private static void opt(JsonGenerator g, String field, Instant v, char[] buf) throws IOException {
        if (v != null) {
            IsoInstants.write(g, field, v, buf);
        }
    }
}
