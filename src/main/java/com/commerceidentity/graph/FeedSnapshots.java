package com.commerceidentity.graph;

import static com.commerceidentity.graph.GraphStore.array;

import com.commerceidentity.feed.FeedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compacted feed in {@code feed_snapshot}: each identity's latest event, which carries its whole state. Folding
 * the feed this way gives what a consumer that read every event holds (an identity merged away is gone, a deleted one
 * shows {@code status: deleted}), so a new consumer can start from it instead of from seq 0, and retention can
 * delete the events folded into it.
 */
public class FeedSnapshots {
    private static final int PAGE = 5_000;
    private final FeedEventLog eventLog;
    private final ObjectMapper json;

    public FeedSnapshots(FeedEventLog eventLog, ObjectMapper json) {
        this.eventLog = eventLog;
        this.json = json;
    }

    /** One identity's line of the snapshot: the event document that last changed it. */
    public record Entry(String identityId, long seq, byte[] payload) {
    }

    /**
     * Folds the stored events up to {@code upTo} into the snapshot, a page per transaction, and returns the seq the
     * snapshot now stands at. Only served events should be folded ({@link FeedEventLog#publishedSeq()}): the snapshot
     * must never show what the feed has not.
     */
    public synchronized long compactUpTo(long upTo) throws SQLException {
        try (Connection c = eventLog.connection()) {
            long at = compactedSeq(c);
            while (at < upTo) {
                List<FeedEvent> page = eventLog.eventsBetween(c, at, upTo, PAGE);
                if (page.isEmpty()) {
                    at = upTo; // a gap left by a crash (numbers never used) or by retention: nothing to fold
                    setCompacted(c, at);
                    break;
                }
                fold(c, page);
                at = page.get(page.size() - 1).seq();
            }
            return at;
        }
    }

    public long compactedSeq() throws SQLException {
        try (Connection c = eventLog.connection()) {
            return compactedSeq(c);
        }
    }

    private void fold(Connection c, List<FeedEvent> page) throws SQLException {
        Map<String, FeedEvent> latest = new LinkedHashMap<>();
        Set<String> mergedAway = new HashSet<>();
        for (FeedEvent e : page) {
            latest.put(e.identityId(), e);
            if (FeedEvent.IDENTITY_MERGED.equals(e.type())) {
                for (JsonNode id : parse(e).path("mergedIds")) {
                    mergedAway.add(id.asText());
                    latest.remove(id.asText());
                }
            }
        }
        Set<String> replaced = new HashSet<>(latest.keySet());
        replaced.addAll(mergedAway);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM feed_snapshot WHERE identity_id = ANY(?)")) {
                for (List<String> chunk : GraphStore.chunks(replaced)) {
                    ps.setArray(1, array(c, chunk));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO feed_snapshot (identity_id, seq, payload) VALUES (?,?,?)")) {
                for (FeedEvent e : latest.values()) {
                    ps.setString(1, e.identityId());
                    ps.setLong(2, e.seq());
                    ps.setBytes(3, e.utf8());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            setCompacted(c, page.get(page.size() - 1).seq());
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * The snapshot's entries after {@code afterIdentityId} (by id), at most {@code limit}, leaving out any entry newer
     * than {@code atSeq}: an identity changed after the snapshot's seq is in the feed after it, with its whole state.
     */
    public List<Entry> entries(String afterIdentityId, long atSeq, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = eventLog.connection();
             PreparedStatement ps = c.prepareStatement("SELECT identity_id, seq, payload FROM feed_snapshot"
                     + " WHERE identity_id > ? AND seq <= ? ORDER BY identity_id LIMIT ?")) {
            ps.setString(1, afterIdentityId);
            ps.setLong(2, atSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getLong(2), rs.getBytes(3)));
                }
            }
        }
        return out;
    }

    private JsonNode parse(FeedEvent e) {
        try {
            return json.readTree(e.utf8());
        } catch (IOException ex) {
            throw new UncheckedIOException("feed event " + e.seq() + " is not JSON", ex);
        }
    }

    private static long compactedSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT compacted_seq FROM feed_history WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void setCompacted(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE feed_history SET compacted_seq = ? WHERE id = 1")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
        }
    }
}
