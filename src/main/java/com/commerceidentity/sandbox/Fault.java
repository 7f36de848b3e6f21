package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One armed fault: what to do, to which requests (optional HTTP method and a path glob where {@code *}
 * matches any characters, including '/'), and how many more times. A count of {@code -1} never runs out.
 */
public final class Fault {

    private final long id;
    private final FaultType type;
    private final String method;
    private final String pathGlob;
    private final Pattern pathPattern;
    private final AtomicInteger remaining;
    private final long delayMillis;
    private final int status;
    private final String field;
    private final JsonNode value;
    private final int index;
    /** Matching requests still let through before the fault fires (a failure on page 2, not page 1). */
    private final AtomicInteger passing = new AtomicInteger();

    public Fault(long id, FaultType type, String method, String pathGlob, int count, long delayMillis, int status) {
        this(id, type, method, pathGlob, count, delayMillis, status, null, null, 0);
    }

    /** A {@link FaultType#BAD_FIELD} fault: {@code field} of the record at {@code index} becomes {@code value}. */
    public Fault(long id, FaultType type, String method, String pathGlob, int count, long delayMillis, int status,
                 String field, JsonNode value, int index) {
        this.id = id;
        this.type = type;
        this.method = method == null || method.isBlank() ? null : method.toUpperCase();
        this.pathGlob = pathGlob == null || pathGlob.isBlank() ? "*" : pathGlob;
        this.pathPattern = Glob.toPattern(this.pathGlob, 0);
        this.remaining = new AtomicInteger(count);
        this.delayMillis = delayMillis;
        this.status = status;
        this.field = field;
        this.value = value;
        this.index = Math.max(0, index);
    }

    static Fault fromJson(long id, JsonNode body) {
        String typeText = Json.text(body, "type");
        if (typeText == null) {
            throw new IllegalArgumentException("fault needs a type, one of " + java.util.Arrays.toString(FaultType.values()));
        }
        FaultType type = FaultType.valueOf(typeText.toUpperCase());
        int count = body.path("count").asInt(1);
        long delay = body.path("delayMillis").asLong(type == FaultType.SLOW ? 2000 : 0);
        int status = body.path("status").asInt(type == FaultType.RATE_LIMIT ? 429 : 503);
        if (type == FaultType.BAD_FIELD && Json.text(body, "field") == null) {
            throw new IllegalArgumentException("a BAD_FIELD fault needs a field (and a value; none removes it)");
        }
        return new Fault(id, type, Json.text(body, "method"), Json.text(body, "path"), count, delay, status,
                Json.text(body, "field"), body.get("value"), body.path("index").asInt(0))
                .passFirst(body.path("after").asInt(0));
    }

    public boolean matches(String requestMethod, String path) {
        return (method == null || method.equalsIgnoreCase(requestMethod)) && pathPattern.matcher(path).matches();
    }

    /** Lets the first {@code requests} matching requests through untouched before the fault fires. */
    public Fault passFirst(int requests) {
        passing.set(Math.max(0, requests));
        return this;
    }

    /** Takes one use of this fault; false when it is used up or still letting requests through. */
    boolean tryConsume() {
        if (passing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return false;
        }
        while (true) {
            int left = remaining.get();
            if (left == 0) {
                return false;
            }
            if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    public boolean exhausted() {
        return remaining.get() == 0;
    }

    public long id() {
        return id;
    }

    public FaultType type() {
        return type;
    }

    public long delayMillis() {
        return delayMillis;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    /** The JSON the field becomes; null removes it. */
    public JsonNode value() {
        return value;
    }

    public int index() {
        return index;
    }

    public int remaining() {
        return remaining.get();
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("type", type.name());
        node.put("method", method);
        node.put("path", pathGlob);
        node.put("remaining", remaining.get());
        node.put("delayMillis", delayMillis);
        node.put("status", status);
        if (type == FaultType.BAD_FIELD || type == FaultType.DROP_RECORD) {
            node.put("field", field);
            node.set("value", value);
            node.put("index", index);
        }
        return node;
    }
}
