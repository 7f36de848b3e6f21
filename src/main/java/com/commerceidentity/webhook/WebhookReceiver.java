package com.commerceidentity.webhook;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.http.LogSafe;
import com.commerceidentity.http.RequestHeaders;
import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{platform}/{store}}: checks the size, verifies the platform's signature on the raw
 * bytes, stores the event once (the platform's event identity is unique), and only then lets the route answer
 * 200. Rejections are counted and logged with their reason, never with the body or a secret.
 */
public class WebhookReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final String ACCEPTED = "{\"status\":\"accepted\"}";
    private static final String DUPLICATE = "{\"status\":\"duplicate\"}";
    private final StoreRegistry stores;
    private final Map<Platform, WebhookVerifier> verifiers;
    private final long maxBodyBytes;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final WebhookGroupCommit writer;
    private final long commitTimeoutMs;

    /**
     * @param writer        stores each verified delivery, together with the others arriving at the same time
     * @param commitTimeout how long a request waits for its commit before answering 503 (the platform retries; if
     *                      the row did go in, the retry is answered as a duplicate)
     */
    public WebhookReceiver(StoreRegistry stores, Map<Platform, WebhookVerifier> verifiers, long maxBodyBytes,
                           Clock clock, WebhookGroupCommit writer, Duration commitTimeout) {
        this.writer = writer;
        this.commitTimeoutMs = commitTimeout.toMillis();
        this.stores = stores;
        this.verifiers = verifiers;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /** @return the JSON answer: {@code {"status":"accepted"}} or {@code {"status":"duplicate"}} */
    public String receive(Exchange exchange) {
        Message m = exchange.getMessage();
        String platformId = m.getHeader("platform", String.class);
        String storeId = m.getHeader("store", String.class);
        try {
            Platform platform = Platform.of(platformId);
            StoreConfig store = stores.get(storeId).filter(s -> s.platform() == platform).orElseThrow(() ->
                    new WebhookRejected(404, "no " + platformId + " store '" + storeId + "' is configured"));
            Long length = m.getHeader(Exchange.CONTENT_LENGTH, Long.class);
            byte[] body = m.getBody(byte[].class);
            if ((length != null && length > maxBodyBytes) || (body != null && body.length > maxBodyBytes)) {
                throw new WebhookRejected(413, "body exceeds app.webhooks.max-body-bytes=" + maxBodyBytes);
            }
            if (body == null || body.length == 0) {
                String type = m.getHeader(Exchange.CONTENT_TYPE, "", String.class);
                // The HTTP server reads a form-encoded body as form fields, so none is left to verify
                throw type.startsWith("application/x-www-form-urlencoded")
                        ? new WebhookRejected(415, "Content-Type " + type + " is not accepted: send the event as"
                                + " application/json")
                        : new WebhookRejected(400, "empty body");
            }
            VerifiedEvent event = verifiers.get(platform).verify(store, RequestHeaders.all(exchange), body);
            boolean fresh = insert(platform, store.id(), event, body);
            (fresh ? accepted : duplicates).incrementAndGet();
            return fresh ? ACCEPTED : DUPLICATE;
        } catch (WebhookRejected e) {
            rejected.incrementAndGet();
            LOG.warn("webhook for {}/{} rejected ({}): {}", LogSafe.of(platformId), LogSafe.of(storeId), e.status(),
                    LogSafe.of(e.getMessage()));
            throw new HttpProblem(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            throw new HttpProblem(404, e.getMessage());
        }
    }

    /** @return false when the same event was stored before: the platform retried or redelivered */
    private boolean insert(Platform platform, String store, VerifiedEvent event, byte[] body) {
        CompletableFuture<Boolean> stored = writer.store(new WebhookGroupCommit.Row(platform.id(), store,
                event.dedupKey(), event.topic(), clock.instant(), body));
        try {
            return stored.get(commitTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "interrupted while storing the event; deliver it again");
        } catch (TimeoutException e) {
            LOG.warn("webhook for {}/{}: not stored within {} ms, answered 503", platform.id(), store, commitTimeoutMs);
            throw new HttpProblem(503, "the event was not stored in time; deliver it again");
        } catch (ExecutionException e) {
            // The writer logged why; the platform only needs to know to send it again.
            throw new HttpProblem(503, "the event could not be stored; deliver it again");
        }
    }

    public Map<String, Long> counters() {
        return Map.of("accepted", accepted.get(), "duplicates", duplicates.get(), "rejected", rejected.get());
    }
}
