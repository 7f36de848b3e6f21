package com.commerceidentity.app;

import org.apache.camel.support.service.ServiceSupport;

/** Closes files and pools when Camel stops, after the routes have drained. */
final class ClosingService extends ServiceSupport {
    private final Object[] resources;

    ClosingService(Object... resources) {
        this.resources = resources;
    }

    @Override
    protected void doStop() throws Exception {
        for (Object r : resources) {
            if (r instanceof AutoCloseable c) {
                c.close();
            } else if (r instanceof org.h2.jdbcx.JdbcConnectionPool pool) {
                pool.dispose();
            }
        }
    }
}
