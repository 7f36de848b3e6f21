package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The pages a node's runs hold ahead of ingest, each run within its own room and all of them within the node's. */
class ReadAheadTest {
    private static final long MINUTE = 60_000;

    @Test
    void aRunWaitsForRoomOtherRunsHoldAndGoesOnWhenTheirPagesAreCommitted() throws Exception {
        ReadAhead.NodeRoom node = new ReadAhead.NodeRoom(100);
        ReadAhead first = new ReadAhead(node, 80, MINUTE, () -> false);
        ReadAhead second = new ReadAhead(node, 80, MINUTE, () -> false);
        first.hold(60);
        second.hold(30);

        assertThat(second.pagesWithRoom(10, 8)).as("pages the second run may fetch: the node has 10 bytes left")
                .isEqualTo(1);
        // 30 more bytes would take the node past its 100, though the run's own 80 has room
        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> hold(second, 30));
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone());

        first.release(60);
        next.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(second.pagesWithRoom(10, 8)).as("the run's own room is what is left: 80 - 60").isEqualTo(2);
    }

    @Test
    void aRunHoldingNothingTakesItsPageHoweverFullTheNodeIs() throws Exception {
        ReadAhead.NodeRoom node = new ReadAhead.NodeRoom(100);
        ReadAhead busy = new ReadAhead(node, 100, MINUTE, () -> false);
        ReadAhead starting = new ReadAhead(node, 100, MINUTE, () -> false);
        busy.hold(100);

        CompletableFuture.runAsync(() -> hold(starting, 50)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(starting.pagesWithRoom(50, 8)).as("the next page waits for room, the fetch of one goes").isEqualTo(1);
    }

    @Test
    void aRunWhoseOwnIngestStallsGivesUpWhileOtherRunsGoOn() {
        ReadAhead.NodeRoom node = new ReadAhead.NodeRoom(1_000);
        ReadAhead stalled = new ReadAhead(node, 50, 300, () -> false);
        ReadAhead moving = new ReadAhead(node, 500, MINUTE, () -> false);
        hold(stalled, 40);
        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> hold(stalled, 40));
        for (int i = 0; i < 20 && !next.isDone(); i++) {
            hold(moving, 10);
            moving.release(10);
            sleep(50);
        }
        assertThat(next).as("its own room stays full: the others' commits are not its ingest moving")
                .isCompletedExceptionally();
    }

    private static void hold(ReadAhead readAhead, long bytes) {
        try {
            readAhead.hold(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
