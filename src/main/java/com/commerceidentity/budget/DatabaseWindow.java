package com.commerceidentity.budget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One rolling window's slots in PostgreSQL, counted across every node. A claim serialises on a transaction-level
 * advisory lock of its own key (two-key form, apart from the graph writer's one-key lock), so two nodes can never
 * both take the last slot. Times are the database's clock: the nodes' clocks never have to agree.
 */
final class DatabaseWindow {
    /** The advisory lock class of rate windows ("RATE"); the second key is the hash of the budget's key. */
    private static final int LOCK_CLASS = 0x52415445;
    /** Longest a full window is polled before looking again: another node's answer may free a slot earlier. */
    private static final long MAX_POLL_MILLIS = 200;

    private final DataSource dataSource;
    private final String key;

    DatabaseWindow(DataSource dataSource, String key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /** Blocks until fewer than {@code quota} requests count in the window, then takes a slot; returns its id. */
    long claim(int quota, long windowMillis) throws InterruptedException {
        while (true) {
            long waitMillis;
            try {
                waitMillis = tryClaim(quota, windowMillis);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot claim a rate window slot for " + key + ": " + e.getMessage(), e);
            }
            if (waitMillis < 0) {
                return -waitMillis;
            }
            Thread.sleep(Math.max(1, Math.min(waitMillis, MAX_POLL_MILLIS)));
        }
    }

    /** The slot's id negated when taken, else how many milliseconds until the window's next release. */
    private long tryClaim(int quota, long windowMillis) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                    lock.setInt(1, LOCK_CLASS);
                    lock.setString(2, key);
                    lock.execute();
                }
                try (PreparedStatement expire = c.prepareStatement(
                        "DELETE FROM rate_window_slots WHERE budget = ? AND release_at <= clock_timestamp()")) {
                    expire.setString(1, key);
                    expire.executeUpdate();
                }
                long counted;
                long nextReleaseMillis;
                try (PreparedStatement count = c.prepareStatement("SELECT count(*), CEIL(EXTRACT(EPOCH FROM"
                        + " (min(release_at) - clock_timestamp())) * 1000) FROM rate_window_slots WHERE budget = ?")) {
                    count.setString(1, key);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        counted = rs.getLong(1);
                        nextReleaseMillis = rs.getLong(2);
                    }
                }
                long result;
                if (counted < quota) {
                    try (PreparedStatement take = c.prepareStatement("INSERT INTO rate_window_slots (budget, release_at)"
                            + " VALUES (?, clock_timestamp() + make_interval(secs => ?)) RETURNING id")) {
                        take.setString(1, key);
                        take.setDouble(2, 2 * windowMillis / 1000.0);
                        try (ResultSet rs = take.executeQuery()) {
                            rs.next();
                            result = -rs.getLong(1);
                        }
                    }
                } else {
                    result = Math.max(1, nextReleaseMillis);
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The answer came back: the slot counts for one more window from now. */
    void releaseAfter(long slot, long windowMillis) {
        update("UPDATE rate_window_slots SET release_at = clock_timestamp() + make_interval(secs => ?) WHERE id = ?",
                windowMillis / 1000.0, slot);
    }

    /** The platform refused the request (429), so it did not count it. */
    void giveBack(long slot) {
        update("DELETE FROM rate_window_slots WHERE id = ?", slot);
    }

    /** Requests of every node the window counts now. */
    long counted() {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT count(*) FROM rate_window_slots WHERE budget = ? AND release_at > clock_timestamp()")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the rate window of " + key + ": " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update the rate window of " + key + ": " + e.getMessage(), e);
        }
    }
}
