package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests served by one simulator, per endpoint ("GET /admin/api/{version}/customers.json" style: numeric
 * path segments become {@code {id}}) and per status, plus 429s and connection resets. Control API calls are
 * not counted.
 */
public final class RequestCounters {

    private final LongAdder total = new LongAdder();
    private final LongAdder tooManyRequests = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> tooManyByEndpoint = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    /** Requests received and not yet answered, and its time integral since the first request, for the mean. */
    private int inFlight;
    private int maxInFlight;
    private long firstArrivalNanos = -1;
    private long lastChangeNanos;
    private double inFlightNanos;

    public static String endpointKey(String method, String path) {
        return method + " " + path.replaceAll("/\\d+(?=[/.]|$)", "/{id}");
    }

    synchronized void requestArrived() {
        long now = System.nanoTime();
        if (firstArrivalNanos < 0) {
            firstArrivalNanos = now;
            lastChangeNanos = now;
        }
        inFlightChanged(now, +1);
        maxInFlight = Math.max(maxInFlight, inFlight);
    }

    private synchronized void requestLeft() {
        if (inFlight > 0) {
            inFlightChanged(System.nanoTime(), -1);
        }
    }

    private void inFlightChanged(long now, int delta) {
        inFlightNanos += (double) inFlight * (now - lastChangeNanos);
        lastChangeNanos = now;
        inFlight += delta;
    }

    /** {@link System#nanoTime} of the last answer (or arrival), -1 before the first request. */
    public synchronized long lastChangeNanos() {
        return firstArrivalNanos < 0 ? -1 : lastChangeNanos;
    }

    /** Most requests this simulator held at once (received, not yet answered). */
    public synchronized int maxInFlight() {
        return maxInFlight;
    }

    /** Requests held on average, over the time from the first request to the last arrival or answer. */
    public synchronized double meanInFlight() {
        long span = lastChangeNanos - firstArrivalNanos;
        return firstArrivalNanos < 0 || span <= 0 ? 0 : inFlightNanos / span;
    }

    void recordResponse(String endpoint, int status) {
        requestLeft();
        total.increment();
        byEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
        if (status == 429) {
            tooManyRequests.increment();
            tooManyByEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        }
    }

    void recordReset(String endpoint) {
        requestLeft();
        total.increment();
        resets.increment();
        byEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
    }

    public long total() {
        return total.sum();
    }

    public long tooManyRequests() {
        return tooManyRequests.sum();
    }

    public long resets() {
        return resets.sum();
    }

    public long requests(String endpoint) {
        LongAdder adder = byEndpoint.get(endpoint);
        return adder == null ? 0 : adder.sum();
    }

    public long tooManyRequests(String endpoint) {
        LongAdder adder = tooManyByEndpoint.get(endpoint);
        return adder == null ? 0 : adder.sum();
    }

    public long withStatus(int status) {
        LongAdder adder = byStatus.get(status);
        return adder == null ? 0 : adder.sum();
    }

    public void reset() {
        synchronized (this) {
            maxInFlight = inFlight;
            firstArrivalNanos = -1;
            inFlightNanos = 0;
        }
        total.reset();
        tooManyRequests.reset();
        resets.reset();
        byEndpoint.clear();
        tooManyByEndpoint.clear();
        byStatus.clear();
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("total", total());
        node.put("tooManyRequests", tooManyRequests());
        node.put("connectionResets", resets());
        node.put("maxInFlight", maxInFlight());
        node.put("meanInFlight", meanInFlight());
        ObjectNode endpoints = node.putObject("byEndpoint");
        new TreeMap<>(byEndpoint).forEach((k, v) -> {
            ObjectNode e = endpoints.putObject(k);
            e.put("requests", v.sum());
            e.put("tooManyRequests", tooManyRequests(k));
        });
        ObjectNode statuses = node.putObject("byStatus");
        new TreeMap<>(byStatus).forEach((k, v) -> statuses.put(String.valueOf(k), v.sum()));
        return node;
    }
}
