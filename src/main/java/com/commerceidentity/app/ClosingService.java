package com.commerceidentity.app;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes files and pools when Camel stops, after the routes have drained. A close that takes a while (the webhook
 * writer storing what is queued, the database writing its last pages) says what it waits for, so a slow stop does
 * not look like a hung one.
 */
final class ClosingService extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ClosingService.class);
    /** What each resource does while it closes, in words for the console. */
    private static final Map<String, String> WHAT = Map.of(
            "WebhookGroupCommit", "the webhook inbox: storing the deliveries still queued",
            "FeedEventLog", "the feed: publishing the last committed events",
            "FeedFiles", "the feed files: writing and syncing the last lines",
            "JdbcConnectionPool", "the database: writing its last pages to disk",
            "ErasedPages", "the database: compacting its file after an erasure",
            "HikariDataSource", "the database pool: closing connections");

    private final Object[] resources;
    private final long reportAfterMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    ClosingService(Object... resources) {
        this(java.time.Duration.ofSeconds(2), resources);
    }

    ClosingService(java.time.Duration reportAfter, Object... resources) {
        this.reportAfterMillis = reportAfter.toMillis();
        this.resources = resources;
    }

    @Override
    protected void doStop() throws Exception {
        closeAll();
    }

    /**
     * Closes what a start that failed had opened (the database pool, with its in-use mark; the sandbox stores'
     * servers): Camel does not stop the services of a failed start. Without it the next start took the database
     * for one a kill had left and rebuilt it, and a benchmark's JVM never ended.
     */
    static void afterFailedStart(org.apache.camel.main.Main main) throws Exception {
        main.stop();
        ClosingService closing = main.getCamelContext() == null ? null
                : main.getCamelContext().hasService(ClosingService.class);
        if (closing != null) {
            closing.closeAll();
        }
    }

    /** Once, whether Camel stops this service or {@link #afterFailedStart} runs. */
    void closeAll() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Object r : resources) {
            if (r == null) {
                continue;
            }
            AtomicBoolean done = new AtomicBoolean();
            String what = WHAT.getOrDefault(r.getClass().getSimpleName(), r.getClass().getSimpleName());
            CompletableFuture.delayedExecutor(reportAfterMillis, TimeUnit.MILLISECONDS).execute(() -> {
                if (!done.get()) {
                    LOG.info("shutting down: waiting for {}", what);
                }
            });
            try {
                if (r instanceof AutoCloseable c) {
                    c.close();
                } else if (r instanceof org.h2.jdbcx.JdbcConnectionPool pool) {
                    pool.dispose();
                }
            } finally {
                done.set(true);
            }
        }
    }
}
