package com.commerceidentity.drop;

import com.commerceidentity.graph.Observation;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregator strategy: collects observations into one list for the graph. Rejected records arrive with an
 * empty body and are only counted as arrivals, so the last record of an input (good or bad) still tells
 * the aggregator that the input is complete.
 */
public class ObservationBatcher implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange batch, Exchange next) {
        Exchange target = batch == null ? next : batch;
        @SuppressWarnings("unchecked")
        List<Observation> list = batch == null ? new ArrayList<>() : batch.getMessage().getBody(List.class);
        Object body = next.getMessage().getBody();
        if (body instanceof Observation o) {
            list.add(o);
        }
        target.getMessage().setBody(list);
        return target;
    }
}
