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
            // numbered; their numbers stay taken (the horizon). The fourth statement is for the batch's look-ups
            // and is in this trip to cost none of its own (KEY_LOOK_UPS_BY_INDEX).
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_KEY + ");"
                        + " SELECT MAX(seq) FROM feed_events;"
                        + " SELECT horizon_seq FROM feed_history WHERE id = 1;"
                        + " " + KEY_LOOK_UPS_BY_INDEX);
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

    /**
     * A graph batch reads the rows of its keys ({@code account_key}, {@code email_norm}, {@code identity_id} or
     * {@code id} {@code = ANY(?)}, up to a thousand keys), each through its index. PostgreSQL's default costs price a
     * read of an index page as four reads of the table in order ({@code random_page_cost}, set for spinning disks),
     * so for a thousand keys it planned a full scan of {@code accounts} at every size measured up to 100,000 rows,
     * even with fresh statistics: 8-18 ms per look-up, growing with the table, the largest share of the server's
     * time in a drop (PgBench DropBenchmark 100000 with {@code auto_explain}). Through the index: 1.2-1.5 ms on
     * average, and flat. For the rest of the transaction only. A statement with no usable index still scans; an
     * erasure's reads of the feed (rare) walk the {@code seq} index instead, in the table's own order.
     */
    String KEY_LOOK_UPS_BY_INDEX = "SET LOCAL enable_seqscan = off";

    /** The advisory lock's id, shared by every node: "CIF-GRPH" in ASCII, unlikely to meet another application's. */
    long ADVISORY_KEY = 0x4349462D47525048L;
}
