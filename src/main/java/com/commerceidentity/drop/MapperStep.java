package com.commerceidentity.drop;

import com.commerceidentity.graph.Observation;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.MappingException;
import com.commerceidentity.model.PlatformMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;

/**
 * Route step that maps a chunk of records with one platform's mapper into {@link Observation}s (the account
 * plus where it was read). A record that cannot be mapped, or was not valid JSON, goes to the input's rejects
 * with its line and reason; the rest of the chunk goes on.
 */
public class MapperStep {
    private final PlatformMapper mapper;
    private final RejectRecorder rejects;

    public MapperStep(PlatformMapper mapper, RejectRecorder rejects) {
        this.mapper = mapper;
        this.rejects = rejects;
    }

    @Handler
    public List<Observation> map(Exchange exchange) {
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        @SuppressWarnings("unchecked")
        List<RawRecord> chunk = exchange.getMessage().getBody(List.class);
        List<Observation> out = new ArrayList<>(chunk.size());
        exchange.setProperty(IngestHeaders.RECORDS, chunk.size());
        for (RawRecord raw : chunk) {
            if (raw.error() != null) {
                rejects.reject(input, raw.line(), new MalformedRecordException(raw.error()), null);
                continue;
            }
            if (raw.rejectedAs() != null) {
                rejects.reject(input, raw.rejectedAs(), raw.json());
                continue;
            }
            try {
                Account account = mapper.map(input.store(), input.kindHint(), raw.json(), input.surface());
                input.accepted();
                out.add(new Observation(account, input.refAt(raw.line())));
            } catch (MappingException e) {
                rejects.reject(input, raw.line(), e, raw.json());
            }
        }
        return out;
    }
}
