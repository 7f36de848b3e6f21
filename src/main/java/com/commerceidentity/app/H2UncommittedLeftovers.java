package com.commerceidentity.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.MVIndex;
import org.h2.mvstore.db.MVTable;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.table.Table;
import org.h2.value.VersionedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls back, after an unclean stop, the rows a killed process left in the embedded database's file from
 * transactions that never committed and that H2's own recovery cannot see.
 *
 * <p>Why (H2 2.5.252): a write puts its undo record in the transaction's undo log first and the row in the table
 * after, but a store takes the maps' contents one after another, so a store under way while a transaction writes can
 * take the row and not its undo record. Reopened after a kill, H2 rolls back what the undo logs list, and the row
 * stays: marked as written by a transaction that no longer exists. H2 shows it to no one, except a session whose
 * transaction happens to get the same number again, and the first transaction after a start usually does. The
 * unclean-stop rebuild ({@link H2Migrations}) reads every row in such a session, so without this step it wrote the
 * row back as committed: a feed event of a batch that never committed (and a gap in the feed's seqs before it) made
 * permanent. Found with {@code H2KillHarness}: 2 files in 230 kills held 1-2 events of the batch in flight at the
 * kill.
 *
 * <p>No row may be uncommitted when the database has just opened and H2 has ended every transaction the kill left,
 * so each such row is set back to the value its transaction found (removed, for an insert), as H2 itself does when a
 * later write meets one ({@code TxDecisionMaker}, "a leftover after unclean shutdown").
 */
final class H2UncommittedLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(H2UncommittedLeftovers.class);
    private static final Method TRANSACTION_ID;

    static {
        try {
            TRANSACTION_ID = TransactionStore.class.getDeclaredMethod("getTransactionId", long.class);
            TRANSACTION_ID.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("embedded database: this H2 version has no " + e.getMessage()
                    + " to tell a transaction's rows apart after an unclean stop; run the H2 version the app ships"
                    + " with, or PostgreSQL");
        }
    }

    private H2UncommittedLeftovers() {
    }

    /** @return how many rows and index entries were rolled back (0 after a clean stop) */
    static int rollBack(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            org.h2.engine.Database database = session.getDatabase();
            BitSet open = new BitSet();
            for (Transaction t : database.getStore().getTransactionStore().getOpenTransactions()) {
                open.set(t.getId());
            }
            Map<String, Integer> perTable = new TreeMap<>();
            Set<Integer> maps = new HashSet<>();
            for (Table table : database.getAllTablesAndViews()) {
                if (!(table instanceof MVTable)) {
                    continue;
                }
                for (Index index : table.getIndexes()) {
                    // an index on the primary key alone reads the table's own map
                    if (index instanceof MVIndex<?, ?> mv && maps.add(mv.getMVMap().getId())) {
                        int n = rollBack(database.getStore().getMvStore(), mv.getMVMap(), open);
                        if (n > 0) {
                            perTable.merge(table.getName(), n, Integer::sum);
                        }
                    }
                }
            }
            int total = perTable.values().stream().mapToInt(Integer::intValue).sum();
            if (total > 0) {
                LOG.warn("embedded database: the unclean stop left {} row(s) and index entries of transactions that"
                        + " never committed, which H2's recovery missed; rolled back ({})", total, perTable);
            }
            return total;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int rollBack(MVStore store, MVMap<?, ? extends VersionedValue<?>> map, BitSet open) {
        MVMap<Object, VersionedValue<?>> writable = (MVMap) map;
        List<Object> keys = new ArrayList<>();
        List<Object> before = new ArrayList<>();
        // H2 compacts the file on its own thread right after opening one full of a killed process's writes; the
        // version read here stays in the file only while registered (a cursor alone met "Chunk N not found")
        MVStore.TxCounter reading = store.registerVersionUsage();
        try {
            Cursor<Object, VersionedValue<?>> rows = writable.cursor(null);
            while (rows.hasNext()) {
                Object key = rows.next();
                long operation = rows.getValue().getOperationId();
                if (operation != VersionedValue.NO_OPERATION_ID && !open.get(transactionOf(operation))) {
                    keys.add(key);
                    before.add(rows.getValue().getCommittedValue());
                }
            }
        } finally {
            store.deregisterVersionUsage(reading);
        }
        for (int i = 0; i < keys.size(); i++) {
            Object committed = before.get(i);
            if (committed == null) {
                writable.remove(keys.get(i));
            } else if (committed instanceof VersionedValue<?> value) {
                // H2's committed values are their own versioned form (VersionedValueCommitted.getInstance)
                writable.put(keys.get(i), value);
            } else {
                throw new IllegalStateException("embedded database: cannot roll back a row of " + map.getName()
                        + " left by an unclean stop: its earlier value is a " + committed.getClass().getName()
                        + "; restore the data directory from a backup or start it with the H2 version the app"
                        + " ships with");
            }
        }
        return keys.size();
    }

    private static int transactionOf(long operationId) {
        try {
            return (int) TRANSACTION_ID.invoke(null, operationId);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("embedded database: cannot read H2's transaction ids", e);
        }
    }
}
