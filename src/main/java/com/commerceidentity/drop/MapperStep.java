package com.commerceidentity.drop;

import com.commerceidentity.graph.Observation;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.PlatformMapper;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;

/**
 * Route step that maps the current record with one platform's mapper and replaces the body with an
 * {@link Observation} (the account plus where it was read).
 */
public class MapperStep {
    private final PlatformMapper mapper;

    public MapperStep(PlatformMapper mapper) {
        this.mapper = mapper;
    }

    @Handler
    public Observation map(Exchange exchange) {
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        long line = exchange.getMessage().getHeader(IngestHeaders.RECORD_LINE, 0L, Long.class);
        JsonNode record = exchange.getMessage().getBody(JsonNode.class);
        Account account = mapper.map(input.store(), input.kindHint(), record, input.surface());
        input.accepted();
        return new Observation(account, input.refAt(line));
    }
}
