package com.commerceidentity.graph;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    /**
     * Every process writing the graph on one PostgreSQL takes this lock (released by the commit or rollback); the
     * transaction's look-ups are planned for their values ({@link GraphStore#plannedForItsValues}).
     */
    static GraphWriterLock postgresAdvisory() {
        return (c, ownNewest) -> {
            // One round trip for three statements (the driver sends them together): this runs before every graph
            // batch, and on a busy machine each trip waited for the CPU as long as the statement took. Each
            // statement still reads a snapshot of its own, taken after the lock is held, so the newest seq read is
            // the one the previous writer committed. Retention may have deleted every event another node
            // numbered; their numbers stay taken (the horizon).
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_KEY + ");"
                        + " SELECT MAX(seq) FROM feed_events;"
                        + " SELECT horizon_seq FROM feed_history WHERE id = 1");
                long newest = ownNewest;
                for (int result = 0; result < 3; result++) {
                    if (result > 0 && !st.getMoreResults()) {
                        throw new SQLException("the graph lock's read answered " + result + " results, not 3");
                    }
                    try (ResultSet rs = st.getResultSet()) {
                        if (result > 0 && rs.next()) {
                            newest = Math.max(newest, rs.getLong(1));
                        }
                    }
                }
                return newest;
            }
        };
    }

    /** The advisory lock's id, shared by every node: "CIF-GRPH" in ASCII, unlikely to meet another application's. */
    long ADVISORY_KEY = 0x4349462D47525048L;
}
