package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dropped file whose records the database fails to commit: when the failure is the database's (a lock timeout
 * after a crash, a lost connection) the file is not refused; when it is about the data, it is.
 */
class DropDatabaseFailureTest {
    private static final Map<String, String> SETTINGS = Map.of("app.inbox.database-retry-ms", "300");

    @Test
    void aFileTheDatabaseFailedToCommitStaysInTheInboxAndIsFinishedOnceTheDatabaseRecovers(@TempDir Path dir)
            throws Exception {
        try (AppHarness app = new AppHarness(dir, SETTINGS)) {
            AtomicInteger refused = failFirstBatches(app, 2,
                    () -> new SQLException("Timeout trying to lock table \"ACCOUNTS\"", "HYT00", 50200));
            Path file = drop(app, "eu", 3);
            Path done = app.inbox().resolve(".done/shopify/eu/customers.ndjson");
            Path refusedCopy = app.inbox().resolve(".error/shopify/eu/customers.ndjson");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(done) || Files.exists(refusedCopy));
            assertThat(refusedCopy).as("the file is not refused").doesNotExist();
            assertThat(refused).as("batches the database refused before the file went through").hasValue(2);
            assertThat(file).doesNotExist();
            JsonNode feed = app.getJson("/feed?after=0&limit=100");
            assertThat(feed.get("events").size()).as("every record once in the feed").isEqualTo(3);
        }
    }

    @Test
    void anHttpDropTheDatabaseFailedToCommitIsAnsweredServiceUnavailableWithWhenToSendItAgain(@TempDir Path dir)
            throws Exception {
        try (AppHarness app = new AppHarness(dir, SETTINGS)) {
            failFirstBatches(app, 1, () -> new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
            byte[] body = "{\"id\":1,\"email\":\"http1@shop.test\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            var first = app.post("/drop/shopify/eu", AppHarness.TOKEN, body);
            assertThat(first.statusCode()).isEqualTo(503);
            assertThat(first.headers().firstValue("Retry-After")).isPresent();
            assertThat(first.body()).contains("the database did not commit the records", "Connection to 127.0.0.1:5432 refused");
            var again = app.post("/drop/shopify/eu", AppHarness.TOKEN, body);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(app.getJson("/feed?after=0&limit=10").get("events").size()).isEqualTo(1);
        }
    }

    @Test
    void aFileWhoseDataTheDatabaseRejectsIsMovedToErrorWithTheReason(@TempDir Path dir) throws Exception {
        try (AppHarness app = new AppHarness(dir, SETTINGS)) {
            failFirstBatches(app, Integer.MAX_VALUE,
                    () -> new SQLException("Value too long for column \"EMAIL_RAW\"", "22001", 22001));
            drop(app, "eu", 3);
            Path reason = app.inbox().resolve(".error/shopify/eu/customers.ndjson.error.txt");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(reason));
            assertThat(Files.readString(reason)).contains("Value too long for column");
        }
    }

    private static AtomicInteger failFirstBatches(AppHarness app, int failures,
                                                  java.util.function.Supplier<SQLException> error) throws Exception {
        AtomicInteger refused = new AtomicInteger();
        AdviceWith.adviceWith(app.app.context(), "resolve-and-publish", a -> a
                .weaveByToString("Bean\\[ref:identityGraph method:apply\\]").before().process(ex -> {
                    if (refused.get() < failures) {
                        refused.incrementAndGet();
                        throw error.get();
                    }
                }));
        return refused;
    }

    private static Path drop(AppHarness app, String store, int records) throws Exception {
        Path file = app.inbox().resolve("shopify/" + store + "/customers.ndjson");
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= records; i++) {
            lines.append("{\"id\":").append(i).append(",\"email\":\"db").append(i)
                    .append("@shop.test\",\"state\":\"enabled\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n");
        }
        Path staged = Files.writeString(file.resolveSibling(".staged"), lines);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
