package com.commerceidentity.drop;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Back-pressure for the graph writer: when its queue is full, the thread handing in a batch waits for room.
 *
 * <p>Mapping is faster than resolving, so with an unbounded queue a big file's mapped batches piled up in
 * front of the writer (tens of thousands of accounts, most of the heap), were promoted to the old generation
 * and cost a full collection every few seconds. Running the batch on the caller instead (Camel's CallerRuns)
 * would bound memory too, but it would let batches commit out of order and on two threads.
 */
public final class WaitForRoom implements RejectedExecutionHandler {
    private static final long RECHECK_MILLIS = 200;

    @Override
    public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
        try {
            while (!executor.isShutdown()) {
                if (executor.getQueue().offer(task, RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for the graph writer's queue", e);
        }
        throw new RejectedExecutionException("the graph writer has stopped; the batch was not handed in");
    }
}
