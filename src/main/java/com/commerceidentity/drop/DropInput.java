package com.commerceidentity.drop;

import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Platform;
import com.commerceidentity.model.Surface;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One export being ingested (a file from the inbox, a POSTed body, a fetched page): where its records go,
 * where its rejects are kept, and the tally reported back to whoever handed it in.
 */
public final class DropInput {

    /**
     * A record that could not be ingested, with what ops need to fix it; {@code where} says more precisely where
     * it was read when the input knows (a synced page: platform, store, surface, page, index, id), else empty.
     */
    public record Reject(long line, String field, String reason, java.util.Map<String, Object> where) {
        public Reject {
            where = where == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(where));
        }

        public Reject(long line, String field, String reason) {
            this(line, field, reason, null);
        }
    }

    private static final int REJECTS_KEPT_IN_MEMORY = 100;

    private final String id;
    private final Platform platform;
    private final String store;
    private final Kind kindHint;
    private final Surface surface;
    private final String ref;
    private final Path rejectsFile;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    /** Records whose chunk reached the graph writer's batcher: what can ever settle. */
    private final AtomicLong handedOver = new AtomicLong();
    private final List<Reject> firstRejects = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.ConcurrentHashMap<String, Long> eventCounts = new java.util.concurrent.ConcurrentHashMap<>();
    private long settled;
    private Throwable failure;
    /** Set by {@link #whenSettled}: how many records must settle, and what runs once they have. */
    private long expectedAtClose;
    private Consumer<Throwable> onSettled;

    public DropInput(String id, Platform platform, String store, Kind kindHint, Surface surface, String ref,
                     Path rejectsFile) {
        this.id = id;
        this.platform = platform;
        this.store = store;
        this.kindHint = kindHint;
        this.surface = surface;
        this.ref = ref;
        this.rejectsFile = rejectsFile;
    }

    public String id() { return id; }
    public Platform platform() { return platform; }
    public String platformId() { return platform.id(); }
    public String store() { return store; }
    public Kind kindHint() { return kindHint; }
    public Surface surface() { return surface; }
    /** Human-readable origin used in feed events, e.g. {@code file:inbox/<platform>/<store>/x.ndjson}. */
    public String ref() { return ref; }
    public Path rejectsFile() { return rejectsFile; }

    public String refAt(long line) {
        return line > 0 ? ref + "#L" + line : ref;
    }

    public void accepted() {
        accepted.incrementAndGet();
    }

    /** The records of one chunk reached the graph writer's batcher. */
    public void handedOver(long records) {
        handedOver.addAndGet(records);
    }

    /**
     * Called once every chunk has been through the chunk steps: records whose chunk a route step stopped or filtered
     * out never reach the graph, so nothing would settle them and the input would wait for them forever. They become
     * rejects (moved from accepted, so the totals stay the records read), with {@code reject} saying why.
     *
     * @return how many records were cut off
     */
    public long cutOff(Reject reject) {
        long lost = accepted.get() + rejected.get() - handedOver.get();
        if (lost <= 0) {
            return 0;
        }
        long moved = Math.min(lost, accepted.get());
        accepted.addAndGet(-moved);
        rejected.addAndGet(moved);
        if (firstRejects.size() < REJECTS_KEPT_IN_MEMORY) {
            firstRejects.add(reject);
        }
        handedOver.addAndGet(lost);
        settled(lost);
        return lost;
    }

    /** A record counted as accepted that a later step rejects: it must settle once, as a reject. */
    public void unaccepted() {
        accepted.decrementAndGet();
    }

    public void rejected(Reject reject, boolean malformedJson) {
        rejected.incrementAndGet();
        if (malformedJson) {
            malformed.incrementAndGet();
        }
        if (firstRejects.size() < REJECTS_KEPT_IN_MEMORY) {
            firstRejects.add(reject);
        }
    }

    /** The graph has committed (or, for rejects, skipped) this many of the input's records. */
    public void settled(long records) {
        Consumer<Throwable> then;
        synchronized (this) {
            settled += records;
            notifyAll();
            then = takeContinuation();
        }
        if (then != null) {
            then.accept(null);
        }
    }

    public void failed(Throwable cause) {
        Consumer<Throwable> then;
        synchronized (this) {
            failure = cause;
            notifyAll();
            then = takeContinuation();
        }
        if (then != null) {
            then.accept(commitFailure());
        }
    }

    /**
     * The input is fully read: instead of waiting, {@code then} runs once every record read so far is settled
     * (with null) or the graph failed (with the cause). It runs on the graph writer's thread right after the
     * last batch commits, or on this thread when that has happened already; either way exactly once, and after
     * the continuations of inputs handed to the same writer before this one.
     */
    public void whenSettled(Consumer<Throwable> then) {
        Throwable outcome;
        synchronized (this) {
            expectedAtClose = accepted.get() + rejected.get();
            if (failure == null && settled < expectedAtClose) {
                onSettled = then;
                return;
            }
            outcome = failure == null ? null : commitFailure();
        }
        then.accept(outcome);
    }

    private Consumer<Throwable> takeContinuation() {
        if (onSettled == null || (failure == null && settled < expectedAtClose)) {
            return null;
        }
        Consumer<Throwable> then = onSettled;
        onSettled = null;
        return then;
    }

    private IllegalStateException commitFailure() {
        return new IllegalStateException(ref + ": records could not be committed to the graph: "
                + failure.getMessage(), failure);
    }

    /**
     * Waits until every record read so far is settled in the graph, so an input is only acknowledged (file
     * moved to .done, HTTP answered) once nothing of it can be lost.
     */
    public synchronized void awaitSettled(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long expected = accepted.get() + rejected.get();
        while (failure == null && settled < expected) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IllegalStateException(ref + ": graph did not commit " + (expected - settled) + " of "
                        + expected + " records within " + timeoutMillis + " ms");
            }
            wait(left);
        }
        if (failure != null) {
            throw commitFailure();
        }
    }

    /** Counts the feed events this input's batches produced, by type (for run summaries). */
    public void published(java.util.List<?> events) {
        for (Object e : events) {
            if (e instanceof com.commerceidentity.feed.FeedEvent event) {
                eventCounts.merge(event.type(), 1L, Long::sum);
            }
        }
    }

    public java.util.Map<String, Long> eventCounts() {
        return java.util.Map.copyOf(eventCounts);
    }

    public long acceptedCount() { return accepted.get(); }
    public long rejectedCount() { return rejected.get(); }
    public long malformedCount() { return malformed.get(); }
    public List<Reject> firstRejects() { return List.copyOf(firstRejects); }
}
