package com.commerceidentity.app;

import com.commerceidentity.http.HttpProblem;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;

/**
 * Request bodies are limited before anything is buffered: Vert.x read every body up to camel.server.maxBodySize
 * (64 MB) before a route could look at its token or size, and 20 parallel uploads ran the heap out. Ahead of
 * Camel's handlers, each request
 * <ul>
 * <li>is refused 413 from its {@code Content-Length} when that exceeds its path's limit (1 MiB for webhooks, the
 * drop limit for drops, {@code app.http.max-body-bytes} for the rest), and while streaming when a chunked body
 * grows past it (Vert.x's body handler with that limit: Camel's own handler then finds the body read);</li>
 * <li>to the HTTP drop is refused 401 on its token before a byte of the body is read (a webhook's signature needs
 * the body, so there the size limit and the upload cap must do);</li>
 * <li>to a webhook is refused 411 when it is chunked: with its length required, an oversize webhook is refused
 * from its headers, never read;</li>
 * <li>with a body takes one of {@code app.http.max-concurrent-uploads} slots and its length (or, chunked, its
 * limit) from {@code app.http.upload-buffer-bytes}, or is answered 503 with {@code Retry-After} at once: many
 * small webhooks fit, a few drops of the full size do, and the heap holds either;</li>
 * <li>must have sent its whole body within {@code app.http.body-timeout-ms}, or is answered 408 and closed.</li>
 * </ul>
 * Refusals close the connection, so an unread body is never drained.
 */
final class UploadLimits extends ContextEventNotifier {
    private final long webhookLimit;
    private final long dropLimit;
    private final long otherLimit;
    private final Semaphore uploads;
    private final int maxUploads;
    /** In KiB: the bytes the bodies being received at once may take, each counted at its length or its limit. */
    private final Semaphore buffer;
    private final long bufferBytes;
    private final long bodyTimeoutMs;
    private final long retryAfterSeconds;
    private final Consumer<String> dropTokenCheck;
    private final ConnectionLimits connections;
    private boolean installed;

    UploadLimits(long webhookLimit, long dropLimit, long otherLimit, int maxUploads, long bufferBytes, long bodyTimeoutMs,
            long retryAfterSeconds, Consumer<String> dropTokenCheck, ConnectionLimits connections) {
        this.webhookLimit = webhookLimit;
        this.dropLimit = dropLimit;
        this.otherLimit = otherLimit;
        this.maxUploads = maxUploads;
        this.uploads = new Semaphore(maxUploads);
        this.bufferBytes = bufferBytes;
        this.buffer = new Semaphore((int) Math.min(Integer.MAX_VALUE, bufferBytes / 1024));
        this.bodyTimeoutMs = bodyTimeoutMs;
        this.retryAfterSeconds = retryAfterSeconds;
        this.dropTokenCheck = dropTokenCheck;
        this.connections = connections;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartingEvent;
    }

    @Override
    public synchronized void notify(CamelEvent event) {
        if (installed) {
            return;
        }
        installed = true;
        BodyHandler webhookBodies = BodyHandler.create(false).setBodyLimit(webhookLimit);
        BodyHandler dropBodies = BodyHandler.create(false).setBodyLimit(dropLimit);
        BodyHandler otherBodies = BodyHandler.create(false).setBodyLimit(otherLimit);
        for (VertxPlatformHttpRouter router : getCamelContext().getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (!router.isMainServer()) {
                continue;
            }
            // right after StartingAnswers' gate (Integer.MIN_VALUE), before every Camel route
            router.route().order(Integer.MIN_VALUE + 1).handler(this::admit).failureHandler(this::failed);
            router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
                String path = ctx.normalizedPath();
                (path.startsWith("/webhooks/") ? webhookBodies : path.startsWith("/drop/") ? dropBodies : otherBodies)
                        .handle(ctx);
            });
        }
    }

    private void admit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        connections.requestStarted(connection);
        ctx.addEndHandler(v -> connections.requestEnded(connection));
        String path = ctx.normalizedPath();
        long limit = path.startsWith("/webhooks/") ? webhookLimit : path.startsWith("/drop/") ? dropLimit : otherLimit;
        String declared = request.getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            refuse(ctx, 400, "Content-Length '" + declared + "' is not a number", null);
            return;
        }
        if (length > limit) {
            refuse(ctx, 413, "body of " + length + " bytes exceeds the limit of " + limit + " bytes for " + limitName(path),
                    null);
            return;
        }
        boolean chunked = request.headers().contains("Transfer-Encoding", "chunked", true);
        if (path.startsWith("/webhooks/") && chunked && declared == null) {
            // Platforms send their small JSON events with a length; a chunked one could only be measured by reading
            // it, which is what 50 hostile uploaders kept the server busy with (AbuseBenchmark).
            refuse(ctx, 411, "a webhook must be sent with a Content-Length (at most " + limit + " bytes, "
                    + limitName(path) + "), not chunked", null);
            return;
        }
        if (path.startsWith("/drop/") && "POST".equals(request.method().name())) {
            try {
                dropTokenCheck.accept(request.getHeader("Authorization"));
            } catch (HttpProblem p) {
                refuse(ctx, p.status(), p.getMessage(), null);
                return;
            }
        }
        boolean hasBody = length > 0 || chunked;
        if (!hasBody) {
            ctx.next();
            return;
        }
        int kib = (int) Math.max(1, ((length >= 0 ? length : limit) + 1023) / 1024);
        if (!uploads.tryAcquire()) {
            refuse(ctx, 503, maxUploads + " uploads are in progress (app.http.max-concurrent-uploads); retry in "
                    + retryAfterSeconds + " s", Long.toString(retryAfterSeconds));
            return;
        }
        if (!buffer.tryAcquire(kib)) {
            uploads.release();
            refuse(ctx, 503, "uploads in progress hold the " + bufferBytes + " bytes allowed"
                    + " (app.http.upload-buffer-bytes); retry in " + retryAfterSeconds + " s",
                    Long.toString(retryAfterSeconds));
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        ctx.addEndHandler(v -> {
            if (released.compareAndSet(false, true)) {
                uploads.release();
                buffer.release(kib);
            }
        });
        long timer = ctx.vertx().setTimer(bodyTimeoutMs, id -> {
            if (!request.isEnded() && !ctx.response().ended()) {
                refuse(ctx, 408, "the request body did not arrive within " + bodyTimeoutMs
                        + " ms (app.http.body-timeout-ms)", null);
            }
        });
        ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }

    private static String limitName(String path) {
        return path.startsWith("/webhooks/") ? "webhooks (app.webhooks.max-body-bytes)"
                : path.startsWith("/drop/") ? "the HTTP drop (app.drop.max-body-bytes); drop large exports into the inbox instead"
                : "this endpoint (app.http.max-body-bytes)";
    }

    /** The streaming limit of the body handlers fails the request with 413: answered here, as JSON. */
    private void failed(RoutingContext ctx) {
        if (ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
            return; // the client went away mid-body (an uploader that gave up): nobody left to answer
        }
        if (ctx.statusCode() == 413) {
            String path = ctx.normalizedPath();
            refuse(ctx, 413, "body exceeds the limit for " + limitName(path), null);
        } else {
            ctx.next();
        }
    }

    private static void refuse(RoutingContext ctx, int status, String error, String retryAfter) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            ctx.request().connection().close();
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close");
        if (retryAfter != null) {
            ctx.response().putHeader("Retry-After", retryAfter);
        }
        String body = "{\"status\":" + status + ",\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        ctx.response().end(body).onComplete(done -> ctx.request().connection().close());
    }
}
