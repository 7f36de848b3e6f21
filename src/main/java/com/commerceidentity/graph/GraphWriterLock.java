package com.commerceidentity.graph;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Makes one graph write batch at a time the only writer, and tells it where the feed's sequence stands.
 *
 * <p>One process on its own database (embedded H2) is the only writer anyway: {@link IdentityGraph}'s monitor
 * serialises its batches and it numbers events itself. Several processes on one PostgreSQL each hold their own
 * monitor, so the batch takes a transaction-level advisory lock first: the next writer, on any node, waits until
 * this transaction commits or rolls back, then reads the graph and the newest seq as they are after it. Seqs
 * are thereby allocated in commit order, with no gap and no duplicate, and every batch resolves against the
 * graph every earlier batch left behind.
 */
public interface GraphWriterLock {

    /**
     * Called first in a graph write transaction; returns the newest seq committed by any writer ({@code ownNewest}
     * when this process is the only one).
     */
    long acquire(Connection c, long ownNewest) throws SQLException;

    /** The graph's own monitor is enough: this process is the database's only writer. */
    static GraphWriterLock inProcess() {
        return (c, ownNewest) -> ownNewest;
    }

    /** Every process writing the graph on one PostgreSQL takes this lock (released by the commit or rollback). */
    static GraphWriterLock postgresAdvisory() {
        return (c, ownNewest) -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ADVISORY_KEY);
                lock.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM feed_events");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                // Retention may have deleted every event another node numbered; their numbers stay taken.
                return Math.max(Math.max(ownNewest, rs.getLong(1)), FeedEventLog.horizonSeq(c));
            }
        };
    }

    /** The advisory lock's id, shared by every node: "CIF-GRPH" in ASCII, unlikely to meet another application's. */
    long ADVISORY_KEY = 0x4349462D47525048L;
}
