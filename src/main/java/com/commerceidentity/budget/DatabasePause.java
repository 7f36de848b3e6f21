package com.commerceidentity.budget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A store's pause as every node sees it, in PostgreSQL's {@code rate_pauses} (V9). Times are the database's
 * clock, as in {@link DatabaseWindow}: the nodes' clocks never have to agree.
 */
final class DatabasePause {
    private final DataSource dataSource;
    private final String key;

    DatabasePause(DataSource dataSource, String key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /** Nobody calls the store for {@code millis} from now, or until a longer pause already set ends. */
    void pause(long millis) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO rate_pauses (budget, until) VALUES (?, clock_timestamp() + make_interval(secs => ?))"
                        + " ON CONFLICT (budget) DO UPDATE SET until = GREATEST(rate_pauses.until, EXCLUDED.until)")) {
            st.setString(1, key);
            st.setDouble(2, millis / 1000.0);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the pause " + key + " was asked for: " + e.getMessage(), e);
        }
    }

    /** How long the pause any node recorded still runs; 0 when there is none. */
    long remainingMillis() {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT CEIL(EXTRACT(EPOCH FROM (until - clock_timestamp())) * 1000) FROM rate_pauses WHERE budget = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Math.max(0, rs.getLong(1)) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read whether " + key + " is paused: " + e.getMessage(), e);
        }
    }
}
