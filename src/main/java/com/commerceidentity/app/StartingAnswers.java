package com.commerceidentity.app;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Until the routes have started, requests to the HTTP API wait for them instead of getting a 404. The server
 * listens before Camel starts the routes, and each REST endpoint is added to it as its route starts, so a
 * request in between (a webhook redelivered while the app restarts, a client that polls for readiness) would
 * read "no such endpoint" — which a platform or client may not retry. Waiting requests go on as soon as the
 * routes are up, or are answered 503 with {@code Retry-After} when the start fails. The counterpart of
 * {@link StoppingAnswers}.
 */
final class StartingAnswers extends ContextEventNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(StartingAnswers.class);
    private final long retryAfterSeconds;
    private final List<Route> gates = new ArrayList<>();
    private final List<Waiting> waiting = new ArrayList<>();
    private boolean open;

    private record Waiting(Context context, RoutingContext request, VertxPlatformHttpRouter router) {
    }

    StartingAnswers(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartingEvent
                || event instanceof CamelEvent.CamelContextStartedEvent
                || event instanceof CamelEvent.CamelContextStartupFailureEvent
                || event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStartingEvent) {
            hold();
        } else {
            release(event instanceof CamelEvent.CamelContextStartedEvent);
        }
    }

    private synchronized void hold() {
        if (open || !gates.isEmpty()) {
            return;
        }
        for (VertxPlatformHttpRouter router : getCamelContext().getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (router.isMainServer()) { // the management server reports health, which should say it is starting
                gates.add(router.route().order(Integer.MIN_VALUE).handler(request -> gate(router, request)));
            }
        }
    }

    private void gate(VertxPlatformHttpRouter router, RoutingContext request) {
        synchronized (this) {
            if (!open) {
                // Its body would be lost while nothing reads it.
                request.request().pause();
                waiting.add(new Waiting(Vertx.currentContext(), request, router));
                return;
            }
        }
        request.next();
    }

    /** How many requests wait for the routes to start. */
    synchronized int waiting() {
        return waiting.size();
    }

    private void release(boolean started) {
        List<Waiting> released;
        synchronized (this) {
            if (open) {
                return;
            }
            open = true;
            gates.forEach(Route::remove);
            released = new ArrayList<>(waiting);
            waiting.clear();
        }
        if (!released.isEmpty()) {
            LOG.info("{} HTTP request(s) that arrived while the routes were starting are {}", released.size(),
                    started ? "handled now" : "answered 503");
        }
        for (Waiting w : released) {
            w.context().runOnContext(v -> {
                if (started) {
                    w.request().request().resume();
                    // Not next(): a request goes on through the endpoints there were when it arrived, and the one it
                    // waited for was added since (CI: the first GET /feed of a starting jar answered 404). Routed
                    // again the way Vert.x routes into a sub-router, it meets every endpoint there is now.
                    w.router().handleContext(w.request());
                } else {
                    w.request().response().setStatusCode(503)
                            .putHeader("Retry-After", Long.toString(retryAfterSeconds))
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Connection", "close")
                            .end("{\"status\":503,\"error\":\"the app did not start; retry in " + retryAfterSeconds
                                    + " s\"}");
                }
            });
        }
    }
}
