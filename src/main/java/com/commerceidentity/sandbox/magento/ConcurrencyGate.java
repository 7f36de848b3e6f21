package com.commerceidentity.sandbox.magento;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Models a slow store: at most {@code maxConcurrent} requests are served at once, the rest queue in arrival
 * order (nothing is refused, Magento has no application rate limit), and each admitted request takes
 * {@code latencyMillis} before it is handled.
 */
final class ConcurrencyGate {

    private final Object lock = new Object();
    private final MagentoConfig config;
    /** Read per request: the simulator's Vert.x exists only once it has started. */
    private final Supplier<Vertx> vertx;
    private final ArrayDeque<RoutingContext> waiting = new ArrayDeque<>();
    private int inFlight;
    private int peakInFlight;

    ConcurrencyGate(MagentoConfig config, Supplier<Vertx> vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void handle(RoutingContext ctx) {
        synchronized (lock) {
            if (config.maxConcurrent > 0 && inFlight >= config.maxConcurrent) {
                waiting.add(ctx);
                return;
            }
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
        }
        admit(ctx);
    }

    private void admit(RoutingContext ctx) {
        ctx.addEndHandler(done -> release());
        long delay = config.latencyMillis;
        if (delay > 0) {
            vertx.get().setTimer(delay, id -> ctx.next());
        } else {
            ctx.next();
        }
    }

    private void release() {
        RoutingContext next;
        synchronized (lock) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            RoutingContext admitted = next;
            vertx.get().runOnContext(v -> admit(admitted));
        }
    }

    /** Adds {@code inFlight}, {@code peakInFlight} and {@code queued}, read together. */
    void putCounters(ObjectNode c) {
        synchronized (lock) {
            c.put("inFlight", inFlight);
            c.put("peakInFlight", peakInFlight);
            c.put("queued", waiting.size());
        }
    }

    void resetPeak() {
        synchronized (lock) {
            peakInFlight = inFlight;
        }
    }
}
