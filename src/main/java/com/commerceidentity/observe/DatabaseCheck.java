package com.commerceidentity.observe;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Not ready while the graph database does not answer: no input can be resolved, no look-up answered. */
public final class DatabaseCheck extends AbstractHealthCheck {
    private final DataSource db;
    private final int timeoutSeconds;

    public DatabaseCheck(DataSource db, int timeoutSeconds) {
        super("commerce-identity", "database");
        this.db = db;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = db.getConnection()) {
            if (c.isValid(timeoutSeconds)) {
                builder.up();
            } else {
                builder.message("the database did not answer within " + timeoutSeconds + " s").down();
            }
        } catch (Exception e) {
            builder.message("the database is unreachable: " + e.getMessage()).error(e).down();
        }
    }
}
