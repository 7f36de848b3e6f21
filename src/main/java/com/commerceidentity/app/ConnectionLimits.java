package com.commerceidentity.app;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-level limits of the HTTP servers: 19,990 bare connections once exhausted the file descriptors and
 * the feed stopped answering. A connection over {@code maxConnections} is closed as it arrives; one that has no
 * request in progress is closed after {@code headerTimeoutMs} when new (its request headers never came, or came
 * too slowly) and after {@code idleTimeoutMs} once it has been answered (keep-alive).
 * <p>
 * Vert.x's own idle timeout cannot be used: it also closes a connection whose request is still being worked on
 * (a drop waiting for its commit sends nothing for a while), and Camel creates its server with default options.
 * The connection handler has to be set before the server listens, so it is set where the server is created:
 * {@link #around(Vertx)} hands Camel a Vert.x whose {@code createHttpServer} adds it.
 */
final class ConnectionLimits implements Handler<HttpConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);

    private final int maxConnections;
    private final long headerTimeoutMs;
    private final long idleTimeoutMs;
    private final LongSupplier nowMs;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections without a request in progress, with the time they are closed at. */
    private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();

    ConnectionLimits(int maxConnections, long headerTimeoutMs, long idleTimeoutMs, LongSupplier nowMs) {
        this.maxConnections = maxConnections;
        this.headerTimeoutMs = headerTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.nowMs = nowMs;
    }

    /** A Vert.x that behaves like {@code real} but starts every HTTP server with these limits in force. */
    Vertx around(Vertx real) {
        real.setPeriodic(Math.max(100, Math.min(headerTimeoutMs, idleTimeoutMs) / 4), id -> closeExpired());
        return (Vertx) Proxy.newProxyInstance(ConnectionLimits.class.getClassLoader(), new Class<?>[] {VertxInternal.class},
                (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("createHttpServer") && args != null
                                && args[0] instanceof HttpServerOptions options) {
                            // HTTP/2 over cleartext makes Vert.x wait for a connection's first bytes before it
                            // exists as an HTTP connection: a bare connection would never be seen, let alone closed
                            options.setHttp2ClearTextEnabled(false);
                        }
                        Object result = method.invoke(real, args);
                        if (result instanceof HttpServer server && method.getName().equals("createHttpServer")) {
                            server.connectionHandler(this);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            if (refused.getAndIncrement() % 1000 == 0) {
                LOG.warn("HTTP connection refused: {} open connections is the limit (app.http.max-connections);"
                        + " {} refused so far", maxConnections, refused.get());
            }
            connection.close();
            return;
        }
        waiting.put(connection, nowMs.getAsLong() + headerTimeoutMs);
        connection.closeHandler(v -> {
            waiting.remove(connection);
            open.decrementAndGet();
        });
    }

    /** A request's headers have arrived: its connection is busy until the answer is sent. */
    void requestStarted(HttpConnection connection) {
        waiting.remove(connection);
    }

    /** The answer is sent: the connection may wait for its next request, for the idle timeout. */
    void requestEnded(HttpConnection connection) {
        // a connection closed meanwhile is dropped at its deadline (closing it again does nothing)
        waiting.put(connection, nowMs.getAsLong() + idleTimeoutMs);
    }

    int openConnections() {
        return open.get();
    }

    private void closeExpired() {
        long now = nowMs.getAsLong();
        waiting.forEach((connection, deadline) -> {
            if (deadline <= now && waiting.remove(connection, deadline)) {
                connection.close();
            }
        });
    }
}
