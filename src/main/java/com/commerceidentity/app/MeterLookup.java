package com.commerceidentity.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * Where budgets and webhook work count: Camel's meter registry, which appears only once metrics start (after the
 * beans are built), so it is looked up when a meter is first needed; an in-memory one when metrics are off.
 */
final class MeterLookup {
    private final CamelContext context;
    private final MeterRegistry fallback = new SimpleMeterRegistry();

    MeterLookup(CamelContext context) {
        this.context = context;
    }

    MeterRegistry registry() {
        MeterRegistry camelMeters = context.getRegistry().findSingleByType(MeterRegistry.class);
        return camelMeters != null ? camelMeters : fallback;
    }
}
