package com.commerceidentity.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The graph writer's queue: a full one makes the input wait, never drops a batch or runs it out of order. */
class WaitForRoomTest {

    @Test
    void aFullQueueHoldsTheSenderUntilTheWriterTakesABatchAndEveryBatchRunsInOrder() throws Exception {
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(2), new WaitForRoom());
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> committed = new CopyOnWriteArrayList<>();
        List<String> committedOn = new CopyOnWriteArrayList<>();
        try {
            writer.execute(() -> {
                await(release);
                committed.add(0);
            });
            CountDownLatch handedIn = new CountDownLatch(1);
            Thread input = new Thread(() -> {
                for (int i = 1; i <= 5; i++) {
                    int batch = i;
                    writer.execute(() -> {
                        committed.add(batch);
                        committedOn.add(Thread.currentThread().getName());
                    });
                }
                handedIn.countDown();
            }, "input");
            input.start();

            // the writer is busy and two batches are queued: the third waits instead of growing the queue
            assertThat(handedIn.await(500, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(writer.getQueue()).hasSize(2);

            release.countDown();
            assertThat(handedIn.await(5, TimeUnit.SECONDS)).isTrue();
            writer.shutdown();
            assertThat(writer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(committed).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(committedOn).doesNotContain("input");
        } finally {
            release.countDown();
            writer.shutdownNow();
        }
    }

    @Test
    void aSenderWaitingForAStoppedWriterIsToldTheBatchWasNotHandedIn() throws Exception {
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1), new WaitForRoom());
        CountDownLatch release = new CountDownLatch(1);
        try {
            writer.execute(() -> await(release));
            writer.execute(() -> { });
            writer.shutdown();
            assertThatThrownBy(() -> writer.execute(() -> { }))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("graph writer has stopped");
        } finally {
            release.countDown();
            writer.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
