package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends webhook deliveries one at a time, in submission order, from a single background thread, so that
 * the out-of-order knob is the only source of reordering.
 * <p>
 * Knobs: {@link #duplicateNext(int)} sends each of the next N deliveries twice, byte-identical (same event id);
 * {@link #outOfOrderNext(int)} holds each of the next N deliveries back until the delivery after it was sent
 * (or {@code holdMillis} passed). There are no automatic retries: a failed delivery is recorded in
 * {@link #attempts()} only.
 */
public final class WebhookDispatcher implements AutoCloseable {

    /**
     * One HTTP POST to deliver; headers are sent as given. When the duplicate knob fires, the second copy
     * is sent with {@code duplicateHeaderOverrides} applied on top of {@code headers} (e.g. a new delivery id
     * while the event id stays the same).
     */
    public record Delivery(String url, Map<String, String> headers, byte[] body, Map<String, String> duplicateHeaderOverrides) {
        public Delivery(String url, Map<String, String> headers, byte[] body) {
            this(url, headers, body, Map.of());
        }

        Delivery asDuplicate() {
            Map<String, String> merged = new java.util.LinkedHashMap<>(headers);
            merged.putAll(duplicateHeaderOverrides);
            return new Delivery(url, merged, body, Map.of());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What happened to one delivery attempt: HTTP status, or -1 and the error text. */
    public record Attempt(String url, Map<String, String> headers, String body, int status, String error, Instant at) {
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService worker = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "sandbox-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger outOfOrder = new AtomicInteger();
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long holdMillis = 1000;
    private Delivery held;

    public void duplicateNext(int count) {
        duplicates.set(Math.max(0, count));
    }

    public void outOfOrderNext(int count) {
        outOfOrder.set(Math.max(0, count));
    }

    public void holdMillis(long millis) {
        this.holdMillis = millis;
    }

    public void send(Delivery delivery) {
        boolean duplicate = takeOne(duplicates);
        pending.incrementAndGet();
        worker.execute(() -> {
            try {
                dispatch(delivery, duplicate);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    private void dispatch(Delivery delivery, boolean duplicate) {
        if (held == null && takeOne(outOfOrder)) {
            held = delivery;
            if (duplicate) {
                post(delivery.asDuplicate());
            }
            pending.incrementAndGet();
            worker.schedule(() -> {
                try {
                    releaseHeld(delivery);
                } finally {
                    pending.decrementAndGet();
                }
            }, holdMillis, TimeUnit.MILLISECONDS);
            return;
        }
        post(delivery);
        if (duplicate) {
            post(delivery.asDuplicate());
        }
        if (held != null && held != delivery) {
            releaseHeld(held);
        }
    }

    private void releaseHeld(Delivery delivery) {
        if (held == delivery) {
            held = null;
            post(delivery);
        }
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private void post(Delivery delivery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().forEach(request::header);
        int status = -1;
        String error = null;
        try {
            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.toString();
        }
        synchronized (attempts) {
            attempts.add(new Attempt(delivery.url(), delivery.headers(), delivery.bodyText(), status, error, Instant.now()));
        }
    }

    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Waits until every submitted delivery (including held ones) has been attempted; false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("duplicateNext", duplicates.get());
        node.put("outOfOrderNext", outOfOrder.get());
        node.put("holdMillis", holdMillis);
        ArrayNode list = node.putArray("attempts");
        for (Attempt a : attempts()) {
            ObjectNode n = list.addObject();
            n.put("url", a.url());
            n.put("status", a.status());
            n.put("error", a.error());
            n.put("at", a.at().toString());
            n.set("headers", Json.MAPPER.valueToTree(a.headers()));
            n.put("body", a.body());
        }
        return node;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
