package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Armed faults of one simulator. Faults are matched in the order they were added; each match uses up one
 * of the fault's count. Thread-safe: tests arm faults from their own thread while Vert.x serves requests.
 */
public final class FaultInjector {

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /** Arms a fault for the next {@code count} matching requests (-1 = until cleared). */
    public Fault add(FaultType type, String pathGlob, int count) {
        return add(type, null, pathGlob, count, type == FaultType.SLOW ? 2000 : 0, type == FaultType.RATE_LIMIT ? 429 : 503);
    }

    public Fault add(FaultType type, String method, String pathGlob, int count, long delayMillis, int status) {
        Fault fault = new Fault(ids.incrementAndGet(), type, method, pathGlob, count, delayMillis, status);
        faults.add(fault);
        return fault;
    }

    /** Arms a {@link FaultType#BAD_FIELD} fault: {@code field} of the list's record at {@code index} becomes {@code value}. */
    public Fault addBadField(String pathGlob, int count, int index, String field,
                             com.fasterxml.jackson.databind.JsonNode value) {
        Fault fault = new Fault(ids.incrementAndGet(), FaultType.BAD_FIELD, "GET", pathGlob, count, 0, 200, field,
                value, index);
        faults.add(fault);
        return fault;
    }

    /** Arms a {@link FaultType#DROP_RECORD} fault: the list's record at {@code index} is left out. */
    public Fault addDropRecord(String pathGlob, int count, int index) {
        Fault fault = new Fault(ids.incrementAndGet(), FaultType.DROP_RECORD, "GET", pathGlob, count, 0, 200, null,
                null, index);
        faults.add(fault);
        return fault;
    }

    public Fault add(com.fasterxml.jackson.databind.JsonNode spec) {
        Fault fault = Fault.fromJson(ids.incrementAndGet(), spec);
        faults.add(fault);
        return fault;
    }

    public void clear() {
        faults.clear();
    }

    /** Takes one use of the first armed fault of the given type that matches the request. */
    public Optional<Fault> consume(FaultType type, String method, String path) {
        for (Fault fault : faults) {
            if (fault.type() == type && fault.matches(method, path) && fault.tryConsume()) {
                if (fault.exhausted()) {
                    faults.remove(fault);
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /** Takes one use of the first armed request-level fault other than SLOW that matches. */
    Optional<Fault> consumeTerminal(String method, String path) {
        for (Fault fault : faults) {
            FaultType type = fault.type();
            if (type.isRequestLevel() && type != FaultType.SLOW && fault.matches(method, path) && fault.tryConsume()) {
                if (fault.exhausted()) {
                    faults.remove(fault);
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    Optional<Fault> consumeBody(String method, String path) {
        for (Fault fault : faults) {
            if (fault.type().isBodyLevel() && fault.matches(method, path) && fault.tryConsume()) {
                if (fault.exhausted()) {
                    faults.remove(fault);
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    public List<Fault> armed() {
        return List.copyOf(faults);
    }

    public ArrayNode toJson() {
        ArrayNode array = Json.array();
        faults.forEach(f -> array.add(f.toJson()));
        return array;
    }
}
