package com.commerceidentity.drop;

import org.apache.camel.Exchange;

/**
 * Connects the asynchronous graph writer back to the input that fed it. The aggregator hands batches to
 * one writer thread (so mapping and resolving overlap on two cores); the input's route waits here until
 * its last batch is committed before it acknowledges anything.
 */
public class IngestBarrier {
    private final long timeoutMillis;

    public IngestBarrier(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
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

    public void await(Exchange exchange) throws InterruptedException {
        exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class).awaitSettled(timeoutMillis);
    }
}
