package com.commerceidentity.store;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where {@code direct:store-call}'s error handler waits out the delay before a redelivery (its
 * {@code executorServiceRef} in routes/store-calls.yaml). With {@code asyncDelayedRedelivery} Camel runs a due
 * redelivery, and the rest of the caller's route after it, on the thread of the scheduler that waited. Camel's
 * default is one fixed pool shared by every route: a handful of sync runs continuing on its threads for hours
 * would hold back every other store's retries. Here one thread waits out all delays and each due redelivery
 * continues on a worker of its own, as the caller's own thread carried it before the failure.
 */
public final class RedeliveryScheduler extends ScheduledThreadPoolExecutor implements AutoCloseable {
    private final Executor workers;

    public RedeliveryScheduler(Executor workers) {
        super(1, r -> {
            Thread t = new Thread(r, "store-call-redelivery-timer");
            t.setDaemon(true);
            return t;
        });
        this.workers = workers;
        setRemoveOnCancelPolicy(true);
    }

    /** The only method Camel's redelivery calls. */
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return super.schedule(() -> workers.execute(command), delay, unit);
    }

    @Override
    public void close() {
        shutdownNow();
    }
}
