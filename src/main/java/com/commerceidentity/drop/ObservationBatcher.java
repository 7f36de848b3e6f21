package com.commerceidentity.drop;

import com.commerceidentity.graph.Observation;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregator strategy: collects the observations of mapped chunks into one list for the graph. The batch
 * carries the newest chunk's "split complete" flag, so the route can close it when the input's last chunk
 * (even one whose records were all rejected) has arrived, and counts its observations (what closes it at the
 * batch size) and the records its chunks covered.
 */
public class ObservationBatcher implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange batch, Exchange next) {
        Exchange target = batch == null ? next : batch;
        @SuppressWarnings("unchecked")
        List<Observation> list = batch == null ? new ArrayList<>() : batch.getMessage().getBody(List.class);
        @SuppressWarnings("unchecked")
        List<Observation> chunk = next.getMessage().getBody(List.class);
        if (chunk != null) {
            list.addAll(chunk);
        }
        target.getMessage().setBody(list);
        target.setProperty(IngestHeaders.BATCHED, list.size());
        target.setProperty(Exchange.SPLIT_COMPLETE, next.getProperty(Exchange.SPLIT_COMPLETE, false, Boolean.class));
        // What the input waits for is records settled, rejects included, not chunks.
        int before = batch == null ? 0 : batch.getProperty(IngestHeaders.RECORDS, 0, Integer.class);
        int records = next.getProperty(IngestHeaders.RECORDS, 0, Integer.class);
        target.setProperty(IngestHeaders.RECORDS, before + records);
        DropInput input = next.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        if (input != null) {
            input.handedOver(records);
        }
        return target;
    }
}
