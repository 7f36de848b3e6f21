package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.feed.FeedFiles;
import com.commerceidentity.model.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event is served (GET /feed, the NDJSON files) only once a killed process can no longer lose it, and a
 * seq once served never names another event, even when the database comes back with less than was served.
 */
class FeedPublicationTest {
    @TempDir
    Path dir;
    GraphFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new GraphFixture(dir, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void anEventCommittedButNotYetPublishedIsNotServed() throws Exception {
        FeedEvent event = new FeedEvent(1, FeedEvent.IDENTITY_CREATED, "idn_1", "shopify:main:customer:1",
                Instant.parse("2026-01-01T00:00:00Z"), "{\"seq\":1}".getBytes(StandardCharsets.UTF_8));
        try (Connection c = f.eventLog.connection()) {
            f.eventLog.insertEvents(c, List.of(event));
        }
        assertThat(f.eventLog.eventsAfter(0, 10)).as("committed, not yet durable").isEmpty();

        try (Connection c = f.eventLog.connection()) {
            f.eventLog.committed(c, 1);
        }
        assertThat(f.eventLog.eventsAfter(0, 10)).extracting(FeedEvent::seq).containsExactly(1L);
    }

    @Test
    void aBatchIsServedOnceApplyReturns() throws Exception {
        f.apply(f.account(Platform.of("shopify"), "1", "one@corp.io", "2024-01-01T00:00:00Z"),
                f.account(Platform.of("shopify"), "2", "two@corp.io", "2024-01-01T00:00:00Z"));

        assertThat(f.eventLog.eventsAfter(0, 10)).extracting(FeedEvent::seq).containsExactly(1L, 2L);
        assertThat(f.eventLog.publishedSeq()).isEqualTo(2);
    }

    @Test
    void whenTheFilesHoldMoreThanTheDatabaseNumberingContinuesAfterTheFiles() throws Exception {
        Path feed = Files.createDirectories(dir.resolve("feed"));
        // five events served before a power cut that the database did not survive whole
        StringBuilder served = new StringBuilder();
        for (int seq = 1; seq <= 5; seq++) {
            served.append("{\"seq\":").append(seq).append(",\"type\":\"identity.created\"}\n");
        }
        Files.writeString(feed.resolve(String.format("feed-%020d.ndjson", 1)), served);

        try (FeedFiles files = new FeedFiles(feed, 1 << 20, Duration.ofHours(1), Clock.systemUTC(), f.eventLog, f.json)) {
            f.graph.continueAfter(files.lastSeq());
            List<FeedEvent> events = f.apply(f.account(Platform.of("shopify"), "9", "nine@corp.io", "2024-01-01T00:00:00Z"));
            assertThat(events).extracting(FeedEvent::seq).as("seqs 1-5 keep naming what was served").containsExactly(6L);
            files.append(events);
            assertThat(files.lastSeq()).isEqualTo(6);
        }
    }

    @Test
    void appendingEventsTheFilesAlreadyHaveIsNeitherAFailureNorADuplicate() throws Exception {
        Path feed = Files.createDirectories(dir.resolve("feed"));
        Files.writeString(feed.resolve(String.format("feed-%020d.ndjson", 1)),
                "{\"seq\":1,\"type\":\"identity.created\"}\n{\"seq\":2,\"type\":\"identity.created\"}\n");
        try (FeedFiles files = new FeedFiles(feed, 1 << 20, Duration.ofHours(1), Clock.systemUTC(), f.eventLog, f.json)) {
            List<FeedEvent> events = f.apply(f.account(Platform.of("shopify"), "1", "one@corp.io", "2024-01-01T00:00:00Z"));

            assertThat(files.append(events)).as("committed work is handed on, not reported as failed").isEqualTo(events);
            assertThat(Files.readAllLines(feed.resolve(String.format("feed-%020d.ndjson", 1)))).hasSize(2);
        }
    }

    @Test
    void aBatchHandedToTheFilesBeforeItIsServedIsWrittenWhenTheServedHeadReachesIt() throws Exception {
        Path feed = Files.createDirectories(dir.resolve("feed"));
        try (FeedFiles files = new FeedFiles(feed, 1 << 20, Duration.ofHours(1), Clock.systemUTC(), f.eventLog, f.json)) {
            List<FeedEvent> events = List.of(event(1), event(2));
            try (Connection c = f.eventLog.connection()) {
                f.eventLog.insertEvents(c, events);
            }
            assertThat(files.append(events)).as("handed on to the next step at once").isEqualTo(events);
            assertThat(files.lastSeq()).as("committed, not yet durable: not written").isZero();

            try (Connection c = f.eventLog.connection()) {
                f.eventLog.committed(c, 2);
            }
            assertThat(files.lastSeq()).isEqualTo(2);
            assertThat(Files.readAllLines(feed.resolve(String.format("feed-%020d.ndjson", 1)))).hasSize(2);
        }
    }

    @Test
    void withGroupPublishingTheWriterDoesNotWaitAndEveryBatchIsServedInOrder() throws Exception {
        Path feed = Files.createDirectories(dir.resolve("feed"));
        f.eventLog.startGroupPublishing(100);
        try (FeedFiles files = new FeedFiles(feed, 1 << 20, Duration.ofHours(1), Clock.systemUTC(), f.eventLog, f.json)) {
            for (int i = 1; i <= 50; i++) {
                files.append(f.apply(f.account(Platform.of("shopify"), Integer.toString(i), "p" + i + "@corp.io",
                        "2024-01-01T00:00:00Z")));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> f.eventLog.publishedSeq() == 50 && files.lastSeq() == 50);
            assertThat(f.eventLog.eventsAfter(0, 100)).extracting(FeedEvent::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
            List<String> lines = Files.readAllLines(feed.resolve(String.format("feed-%020d.ndjson", 1)));
            assertThat(lines).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(f.json.readTree(lines.get(i)).path("seq").asLong()).isEqualTo(i + 1L);
            }
        } finally {
            f.eventLog.close();
        }
    }

    private static FeedEvent event(long seq) {
        return new FeedEvent(seq, FeedEvent.IDENTITY_CREATED, "idn_" + seq, "shopify:main:customer:" + seq,
                Instant.parse("2026-01-01T00:00:00Z"), ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }
}
