package com.commerceidentity.app;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From the moment the app starts stopping, every request to the HTTP API is answered 503 with
 * {@code Retry-After}. Without this, Camel suspends and then removes each route's HTTP handler while the server
 * keeps listening until the very end, so a request in that window gets a bare 503 or a 404 — and a 404 reads as
 * "no such endpoint", which a platform or client may not retry. Requests already being handled finish normally:
 * the shutdown waits for them.
 */
final class StoppingAnswers extends ContextEventNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(StoppingAnswers.class);
    private final long retryAfterSeconds;
    private volatile boolean stopping;

    StoppingAnswers(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (stopping) {
            return;
        }
        stopping = true;
        String body = "{\"status\":503,\"error\":\"the app is shutting down; retry in " + retryAfterSeconds + " s\"}";
        for (VertxPlatformHttpRouter router : getCamelContext().getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (!router.isMainServer()) {
                continue; // the management server reports health, which should say what is happening, not 503
            }
            // Ahead of every route's handler, whatever order they were added in.
            router.route().order(Integer.MIN_VALUE).handler(ctx -> ctx.response().setStatusCode(503)
                    .putHeader("Retry-After", Long.toString(retryAfterSeconds))
                    .putHeader("Content-Type", "application/json")
                    // Keep-alive clients would otherwise hold a connection the server is about to close.
                    .putHeader("Connection", "close")
                    .end(body));
            LOG.info("shutting down: new HTTP requests are answered 503 with Retry-After: {}", retryAfterSeconds);
        }
    }
}
