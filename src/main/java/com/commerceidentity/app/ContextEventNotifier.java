package com.commerceidentity.app;

import org.apache.camel.support.EventNotifierSupport;

/**
 * An event notifier that hears only the context's own start and stop events: the HTTP gates and limits act once
 * per life of the context, and must not be asked about every exchange, route, service and step.
 */
abstract class ContextEventNotifier extends EventNotifierSupport {
    ContextEventNotifier() {
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }
}
