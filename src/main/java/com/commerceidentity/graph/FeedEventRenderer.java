package com.commerceidentity.graph;

import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Access;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one change of the graph into its feed event document: what happened, why, and the identity as the
 * working set holds it at that moment, so each event shows the identity after its own change, not after the
 * rest of the batch. Not thread-safe: the graph renders under its writer lock.
 */
final class FeedEventRenderer {
    private final IdentitySnapshots snapshots;
    /** Reused for every event (apply is synchronized): rendering straight to UTF-8 bytes, one copy out. */
    private final ByteArrayOutputStream eventBuffer = new ByteArrayOutputStream(4096);

    FeedEventRenderer(IdentitySnapshots snapshots) {
        this.snapshots = snapshots;
    }

    FeedEvent render(long seq, String type, Instant now, String identityId, String accountKey, String inputRef,
                     String reason, List<String> mergedIds, WorkingSet ws) {
        return render(seq, type, now, identityId, accountKey, inputRef, reason, mergedIds, null, null, ws);
    }

    /** {@code accessBefore}/{@code accessAfter}: the account's access facts around an access change, else null. */
    FeedEvent render(long seq, String type, Instant now, String identityId, String accountKey, String inputRef,
                     String reason, List<String> mergedIds, Access accessBefore, Access accessAfter, WorkingSet ws) {
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
            if (accessAfter != null) {
                g.writeObjectFieldStart("access");
                g.writeFieldName("before");
                IdentitySnapshots.writeAccess(g, accessBefore);
                g.writeFieldName("after");
                IdentitySnapshots.writeAccess(g, accessAfter);
                g.writeEndObject();
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
        return new FeedEvent(seq, type, identityId, accountKey, now, eventBuffer.toByteArray());
    }
}
