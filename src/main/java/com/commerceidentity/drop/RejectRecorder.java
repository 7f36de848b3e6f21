package com.commerceidentity.drop;

import com.commerceidentity.model.MappingException;
import org.apache.camel.Exchange;

/** Tallies records that failed and keeps them in the input's rejects file, with line, field and reason. */
public class RejectRecorder {
    private final RejectLog log;

    public RejectRecorder(RejectLog log) {
        this.log = log;
    }

    /** One record that failed; {@code record} is its JSON when it had any. */
    public void reject(DropInput input, long line, RuntimeException cause, Object record) {
        String field = cause instanceof MappingException m ? m.field() : null;
        String reason = cause instanceof MappingException m ? m.reason() : cause.getMessage();
        DropInput.Reject reject = new DropInput.Reject(line, field, reason);
        input.rejected(reject, cause instanceof MalformedRecordException);
        log.write(input, reject, record);
    }

    /** A record its reader already found unusable, with the reject it was read as. */
    public void reject(DropInput input, DropInput.Reject reject, Object record) {
        input.rejected(reject, false);
        log.write(input, reject, record);
    }

    /** Called once the input is fully read: closes its rejects file. */
    public void finish(Exchange exchange) {
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        DropInput.Reject cut = new DropInput.Reject(0, "routes", "records in chunks that a route step stopped or"
                + " filtered out before the identity graph (routes/ingest.yaml, routes/platforms/*.yaml); per-record"
                + " rules belong in routes/record-rules.yaml");
        long lost = input.cutOff(cut);
        if (lost > 0) {
            log.write(input, new DropInput.Reject(0, "routes", lost + " " + cut.reason()), null);
        }
        log.close(input);
    }
}
