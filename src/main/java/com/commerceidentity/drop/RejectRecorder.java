package com.commerceidentity.drop;

import com.commerceidentity.model.MappingException;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;

/** Route step for a record that failed: tallies it and keeps it in the input's rejects file. */
public class RejectRecorder {
    private final RejectLog log;

    public RejectRecorder(RejectLog log) {
        this.log = log;
    }

    @Handler
    public void record(Exchange exchange) {
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        long line = exchange.getMessage().getHeader(IngestHeaders.RECORD_LINE, 0L, Long.class);
        String field = cause instanceof MappingException m ? m.field() : null;
        String reason = cause instanceof MappingException m ? m.reason()
                : cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        DropInput.Reject reject = new DropInput.Reject(line, field, reason);
        input.rejected(reject, cause instanceof MalformedRecordException);
        log.write(input, reject, exchange.getMessage().getBody());
        exchange.getMessage().setBody(null);
    }

    /** Called once the input is fully read: closes its rejects file. */
    public void finish(Exchange exchange) {
        log.close(exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class));
    }
}
