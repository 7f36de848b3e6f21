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

    public static String endpointKey(String method, String path) {
        return method + " " + path.replaceAll("/\\d+(?=[/.]|$)", "/{id}");
    }

    void recordResponse(String endpoint, int status) {
        total.increment();
        byEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
        if (status == 429) {
            tooManyRequests.increment();
            tooManyByEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        }
    }

    void recordReset(String endpoint) {
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
