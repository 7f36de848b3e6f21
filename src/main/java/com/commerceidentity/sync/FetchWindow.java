package com.commerceidentity.sync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The requests of one run sent and not yet read, in the order they were sent. Each is fetched on its own thread
 * (holding one of the store's slots only while the store answers), so a slow answer holds one slot, not a batch:
 * the next request goes out as soon as any slot frees. The run reads the answers in send order, which is page
 * order, so what reaches the graph and the watermark are as if the pages had been fetched one after another.
 */
final class FetchWindow {
    private static final long POLL_MILLIS = 200;
    private final Deque<Sent> sent = new ArrayDeque<>();
    /** Moves on when the requests sent are given up: their answers, arriving later, are not read. */
    private int generation;
    private boolean closed;

    /** One request sent: its answer, or why there is none, completes {@link #answer}. */
    record Sent(SyncRun.Fetch fetch, int generation, CompletableFuture<SyncRuns.Answer> answer) {
    }

    synchronized Sent send(SyncRun.Fetch fetch) {
        Sent s = new Sent(fetch, generation, new CompletableFuture<>());
        sent.addLast(s);
        // lanes wait for whichever answer comes first (nextDone)
        s.answer().whenComplete((a, e) -> {
            synchronized (this) {
                notifyAll();
            }
        });
        return s;
    }

    /**
     * The first request sent whose answer (or failure) is back, in whatever order they come back: lanes read
     * each answer's cursor at once, and keep the pages themselves in their own order ({@link Lanes}).
     */
    synchronized Sent nextDone(BooleanSupplier stopping) throws InterruptedException {
        if (sent.isEmpty()) {
            throw new IllegalStateException("no request of the run is waiting for its answer");
        }
        while (true) {
            for (Sent s : sent) {
                if (s.answer().isDone()) {
                    sent.remove(s);
                    return s;
                }
            }
            if (stopping.getAsBoolean()) {
                throw new IllegalStateException("stopping while a page was being fetched");
            }
            wait(POLL_MILLIS);
        }
    }

    /** The first request sent whose answer is back, or null while none is: never waits. */
    synchronized Sent doneNow() {
        for (Sent s : sent) {
            if (s.answer().isDone()) {
                sent.remove(s);
                return s;
            }
        }
        return null;
    }

    /** Requests sent whose answers the run has not read yet. */
    synchronized int unread() {
        return sent.size();
    }

    /** False once the request was given up: it need not go to the store any more. */
    synchronized boolean wanted(Sent s) {
        return !closed && s.generation() == generation;
    }

    /**
     * The answer to the oldest request sent, once it is back.
     *
     * @throws Exception why that request failed, as the store call threw it
     */
    SyncRuns.Answer next(BooleanSupplier stopping) throws Exception {
        Sent head;
        synchronized (this) {
            head = sent.peekFirst();
        }
        if (head == null) {
            throw new IllegalStateException("no request of the run is waiting for its answer");
        }
        while (true) {
            try {
                SyncRuns.Answer a = head.answer().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                synchronized (this) {
                    sent.remove(head);
                }
                return a;
            } catch (TimeoutException e) {
                if (stopping.getAsBoolean()) {
                    throw new IllegalStateException("stopping while a page was being fetched");
                }
            } catch (ExecutionException e) {
                synchronized (this) {
                    sent.remove(head);
                }
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /**
     * The requests sent are not to be read (a page to fetch again, a snapshot given up, the run over): those still
     * waiting for a slot are not sent, and answers still to come are dropped.
     */
    synchronized void giveUp() {
        generation++;
        sent.clear();
    }

    synchronized void close() {
        closed = true;
        giveUp();
    }
}
