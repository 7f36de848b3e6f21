package com.commerceidentity.drop;

import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.model.Surface;
import org.apache.camel.Exchange;

/**
 * Connects the asynchronous graph writer back to the input that fed it. The aggregator hands batches to
 * one writer thread (so mapping and resolving overlap on two cores); the input's route waits here until
 * its last batch is committed before it acknowledges anything.
 */
public class IngestBarrier {
    private final long timeoutMillis;
    private final FeedEventLog eventLog;

    public IngestBarrier(long timeoutMillis, FeedEventLog eventLog) {
        this.timeoutMillis = timeoutMillis;
        this.eventLog = eventLog;
    }

    /** After a batch is committed: every record of its chunks counts, rejects included. */
    public void settled(Exchange batch) {
        DropInput input = batch.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        if (input != null) {
            if (batch.getMessage().getBody() instanceof java.util.List<?> events) {
                input.published(events);
            }
            input.settled(batch.getProperty(IngestHeaders.RECORDS, 0, Integer.class));
        }
    }

    public void failed(Exchange batch) {
        DropInput input = batch.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        if (input != null) {
            input.failed(batch.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        }
    }

    /**
     * Returns once the input's records are committed; a dropped file or HTTP body also once they are on disk,
     * because the next step acknowledges it to someone outside (the file leaves the inbox, the caller gets its
     * answer). Sync pages and webhook work need not wait: their own progress marks live in the same database
     * and are lost or kept together with the records.
     */
    public void await(Exchange exchange) throws InterruptedException, java.sql.SQLException {
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        input.awaitSettled(timeoutMillis);
        if (input.surface() == Surface.FILE || input.surface() == Surface.HTTP) {
            eventLog.syncToDisk();
        }
    }
}
