package com.commerceidentity.drop;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;

/** Turns a {@link RawRecord} into its JSON body plus a line header, so mappers see the platform's own JSON. */
public class RecordUnwrapper {

    @Handler
    public void unwrap(Exchange exchange) {
        RawRecord raw = exchange.getMessage().getBody(RawRecord.class);
        exchange.getMessage().setHeader(IngestHeaders.RECORD_LINE, raw.line());
        if (raw.error() != null) {
            exchange.getMessage().setBody(null);
            throw new MalformedRecordException(raw.error());
        }
        exchange.getMessage().setBody(raw.json());
    }
}
