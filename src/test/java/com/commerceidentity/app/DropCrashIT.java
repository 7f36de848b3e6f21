package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A dropped file killed midway is finished after the restart; served events never change.
 * See {@link CrashConsistency}.
 */
class DropCrashIT extends CrashConsistency {

    @Test
    void aDropKilledMidFileIsFinishedAfterTheRestartAndServedEventsNeverChange() throws Exception {
        Random random = random("drop");
        int records = 20_000;
        for (int trial = 1; trial <= TRIALS; trial++) {
            Path dir = Files.createDirectories(tmp.resolve("drop-" + trial));
            int port = AppHarness.freePort();
            List<String> settings = List.of("app.inbox.poll-delay-ms=200", "stores.crash.platform=shopify",
                    "stores.crash.base-url=http://127.0.0.1:9");
            JarProcess app = JarProcess.start(dir, port, settings);
            try (FeedTail tail = new FeedTail(port)) {
                Path store = Files.createDirectories(dir.resolve("inbox").resolve("shopify").resolve("crash"));
                Path part = store.resolve("customers.ndjson.part");
                try (var out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                    for (int i = 1; i <= records; i++) {
                        out.write("{\"id\":" + (7_000_000_000_000_000L + i) + ",\"email\":\"drop" + trial + "-" + i
                                + "@corp.io\",\"first_name\":\"Drop\",\"last_name\":\"N" + i
                                + "\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n");
                    }
                }
                Files.move(part, store.resolve("customers.ndjson"));
                int killAt = killPoint(random, records);
                awaitServed(tail, killAt, app);
                app.kill();
                System.out.printf("crash drop trial %d: killed after %d of %d events served%n", trial,
                        tail.servedCount(), records);
                JarProcess restarted = restartAfterKill(dir, port, settings);
                app = restarted;
                checkAfterRestart(dir, "drop-" + trial, () -> {
                    awaitArrivals(restarted, "shopify:crash:", records);
                    Path done = dir.resolve("inbox").resolve(".done").resolve("shopify").resolve("crash")
                            .resolve("customers.ndjson");
                    awaitTrue(() -> Files.exists(done), "the file is moved to .done/", restarted);
                    assertThat(dir.resolve("inbox").resolve(".error")).as("nothing in .error/")
                            .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
                    assertConsistent(tail, restarted, dir, "shopify:crash:", records);
                });
            } finally {
                app.close();
            }
        }
    }
}
