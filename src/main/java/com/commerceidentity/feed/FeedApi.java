package com.commerceidentity.feed;

import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.graph.FeedSnapshots;
import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.graph.IdentityRow;
import com.commerceidentity.graph.IdentitySnapshots;
import com.commerceidentity.graph.LinkedAccount;
import com.commerceidentity.graph.MatchPolicy;
import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.model.AccountNormalizer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;

/** The read side over HTTP: the change feed with a resume cursor, and identity look-ups. */
public class FeedApi {
    private static final int SNAPSHOT_PAGE = 1_000;
    private final GraphStore store;
    private final FeedEventLog eventLog;
    private final FeedSnapshots feedSnapshots;
    private final IdentitySnapshots snapshots;
    private final AccountNormalizer normalizer;
    private final MatchPolicy policy;
    private final int defaultLimit;
    private final int maxLimit;

    public FeedApi(GraphStore store, FeedEventLog eventLog, FeedSnapshots feedSnapshots, IdentitySnapshots snapshots,
                   AccountNormalizer normalizer, MatchPolicy policy, int defaultLimit, int maxLimit) {
        this.policy = policy;
        this.store = store;
        this.eventLog = eventLog;
        this.feedSnapshots = feedSnapshots;
        this.snapshots = snapshots;
        this.normalizer = normalizer;
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
    }

    /**
     * {@code GET /feed?after=<seq>&limit=<n>}: events after the cursor, and the cursor to send next time
     * (unchanged when there is nothing new, so a poller can loop on it).
     */
    public String page(@Header("after") String after, @Header("limit") String limit) throws SQLException {
        long cursor = number("after", after, 0);
        long n = number("limit", limit, defaultLimit);
        if (n < 1 || n > maxLimit) {
            throw new HttpProblem(400, "limit must be between 1 and " + maxLimit, Map.of("field", "limit"));
        }
        long horizon = eventLog.horizonSeq();
        if (cursor < horizon) {
            // answering with what is left would hide the deleted events from the caller: a silent gap
            throw new HttpProblem(410, "events up to seq " + horizon + " are past retention and no longer served;"
                    + " start again from GET /feed/snapshot, then GET /feed?after=<its seq>",
                    Map.of("horizon", horizon, "snapshot", "/feed/snapshot"));
        }
        List<FeedEvent> events = eventLog.eventsAfter(cursor, (int) n + 1);
        boolean more = events.size() > n;
        if (more) {
            events = events.subList(0, (int) n);
        }
        long next = events.isEmpty() ? cursor : events.get(events.size() - 1).seq();
        StringBuilder body = new StringBuilder(256 + events.size() * 512);
        body.append("{\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(events.get(i).json());
        }
        body.append("],\"next\":").append(next).append(",\"hasMore\":").append(more).append('}');
        return body.toString();
    }

    /**
     * {@code GET /feed/snapshot}: NDJSON, a first line {@code {"seq":S}}, then the latest event of every identity up to
     * {@code S} (merged-away identities left out). A consumer folds those lines as it folds events, then follows
     * {@code GET /feed?after=S}. Streamed a page at a time from the database, never whole in memory.
     */
    public InputStream snapshot() throws SQLException {
        long at = feedSnapshots.compactUpTo(eventLog.publishedSeq());
        byte[] head = ("{\"seq\":" + at + "}\n").getBytes(StandardCharsets.UTF_8);
        Enumeration<InputStream> pages = new Enumeration<>() {
            private String afterId = "";
            private InputStream next = new ByteArrayInputStream(head);

            @Override
            public boolean hasMoreElements() {
                if (next == null && afterId != null) {
                    next = page();
                }
                return next != null;
            }

            @Override
            public InputStream nextElement() {
                if (!hasMoreElements()) {
                    throw new java.util.NoSuchElementException();
                }
                InputStream out = next;
                next = null;
                return out;
            }

            private InputStream page() {
                try {
                    List<FeedSnapshots.Entry> entries = feedSnapshots.entries(afterId, at, SNAPSHOT_PAGE);
                    if (entries.isEmpty()) {
                        afterId = null;
                        return null;
                    }
                    afterId = entries.get(entries.size() - 1).identityId();
                    ByteArrayOutputStream buf = new ByteArrayOutputStream(entries.size() * 1024);
                    for (FeedSnapshots.Entry e : entries) {
                        buf.writeBytes(e.payload());
                        buf.write('\n');
                    }
                    return new ByteArrayInputStream(buf.toByteArray());
                } catch (SQLException e) {
                    throw new IllegalStateException("reading the feed snapshot failed: " + e.getMessage(), e);
                }
            }
        };
        return new SequenceInputStream(pages);
    }

    /** {@code GET /identities/{id}}: a merged id answers with the identity it was merged into. */
    public String identity(@Header("id") String id) throws SQLException {
        IdentityRow row = store.identity(id);
        int hops = 0;
        while (row != null && row.mergedInto() != null && hops++ < 100) {
            row = store.identity(row.mergedInto());
        }
        if (row == null) {
            throw new HttpProblem(404, "no identity with id '" + id + "'");
        }
        if (row.deleted()) {
            throw new HttpProblem(404, "identity '" + id + "' was deleted", Map.of("deleted", true));
        }
        ObjectNode snapshot = snapshots.snapshot(row, store.members(row.id()));
        if (!row.id().equals(id)) {
            snapshot.put("requestedId", id);
        }
        return snapshot.toString();
    }

    /**
     * {@code GET /identities?email=}: every live identity with an account under that email, and {@code notes}
     * when the address is one that links no accounts (app.match.blocked-emails).
     */
    public String byEmail(@Header("email") String email) throws SQLException {
        String given = email == null ? "" : email.strip();
        if (given.isEmpty()) {
            throw new HttpProblem(400, "query parameter 'email' is required", Map.of("field", "email"));
        }
        // curl users type ?email=a+b@x.com unescaped; the query decodes that + to a space, which no email holds
        String normalized = normalizer.email(given.replace(' ', '+'));
        if (normalized == null) {
            throw new HttpProblem(400, "'" + given + "' is not an email address", Map.of("field", "email"));
        }
        ArrayNode list = snapshots.mapper().createArrayNode();
        for (String id : store.identityIdsByEmail(normalized)) {
            IdentityRow row = store.identity(id);
            if (row != null && !row.deleted() && row.mergedInto() == null) {
                List<LinkedAccount> members = store.members(id);
                list.add(snapshots.snapshot(row, members));
            }
        }
        ObjectNode body = snapshots.mapper().createObjectNode();
        body.put("email", normalized);
        body.set("identities", list);
        policy.emailNotLinkedBecause(normalized).ifPresent(why -> body.putArray("notes").add(why));
        return body.toString();
    }

    private static long number(String field, String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, "query parameter '" + field + "' must be a whole number but was '" + value + "'",
                    Map.of("field", field));
        }
    }
}
