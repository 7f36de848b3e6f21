package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.TestFiles;
import com.commerceidentity.webhook.Signatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed's first promise under {@code kill -9}: the packaged jar is killed at a random moment of a file
 * drop, a sync backfill and a webhook burst while a consumer tails {@code GET /feed}; after the restart
 * every record is in the feed once, every event the consumer was served is still the same event under the
 * same seq, the identity ids it was served still resolve, the NDJSON files equal the database's feed, and
 * the dropped file is finished (not in {@code .error/}).
 *
 * <p>One class per scenario ({@link DropCrashIT}, {@link SyncCrashIT}, {@link WebhookCrashIT}), so the failsafe
 * forks run them side by side.
 *
 * <p>Trials per scenario: {@code -Dcrash.trials} (default 2, which keeps the whole build inside CI's 15 minutes;
 * every build kills at new points, and {@code -Dcrash.trials=10} is the thorough run); the random kill points come
 * from {@code -Dcrash.seed} (printed, so a failing trial can be run again).
 */
abstract class CrashConsistency {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> ARRIVALS = Set.of("identity.created", "account.linked", "identity.merged");
    static final int TRIALS = Integer.getInteger("crash.trials", 2);
    static final long SEED = Long.getLong("crash.seed", System.nanoTime());
    static final Duration FINISH_WITHIN = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    // ---- what a failing trial leaves for the inquiry ---------------------------------------------------------

    /** Where a failing trial's data directories are kept: the JUnit temporary folder is gone when it ends. */
    static final Path EVIDENCE = Path.of(System.getProperty("crash.evidence-dir", "target/crash-evidence"));

    /** A check that may fail, run after the restart. */
    @FunctionalInterface
    interface AfterRestart {
        void check() throws Exception;
    }

    /**
     * Starts the jar again on the killed one's folder, after copying the data directory as the kill left it: the
     * restart opens (and rebuilds) its database, and a trial that then fails can tell a file that lost commits from
     * a start that lost them.
     */
    static JarProcess restartAfterKill(Path dir, int port, List<String> settings) throws Exception {
        TestFiles.copyTree(dir.resolve("data"), dir.resolve("data-as-killed"));
        return JarProcess.start(dir, port, settings);
    }

    /**
     * Runs the checks after the restart; when one fails, the trial's folder (its data as killed, as restarted, the
     * inbox) is copied under {@link #EVIDENCE} and the failure names where.
     */
    static void checkAfterRestart(Path dir, String trialName, AfterRestart checks) throws Exception {
        try {
            checks.check();
        } catch (AssertionError failed) {
            throw new AssertionError("the trial's folder (data-as-killed/: the data directory as the kill left it): "
                    + keepEvidence(dir, trialName) + "\n" + failed.getMessage(), failed);
        }
    }

    /** Copies the trial's folder under {@link #EVIDENCE}; says where, or why it could not. */
    static String keepEvidence(Path dir, String trialName) {
        Path kept = EVIDENCE.resolve(trialName + "-" + SEED).toAbsolutePath();
        try {
            TestFiles.copyTree(dir, kept);
            return kept.toString();
        } catch (java.io.IOException e) {
            return "not kept in " + kept + ": " + e;
        }
    }

    // ---- the promises checked after every restart ----------------------------------------------------------

    void assertConsistent(FeedTail tail, JarProcess app, Path dir, String keyPrefix, int accounts)
            throws Exception {
        try {
            assertPromisesKept(tail, app, dir, keyPrefix, accounts);
        } catch (AssertionError broken) {
            // what the restarted app said about its recovery (a database behind the feed files, say) is the lead
            throw new AssertionError(broken.getMessage() + "\nwhat the restarted app said (warnings, errors):\n"
                    + digest(app.log()), broken);
        }
    }

    private void assertPromisesKept(FeedTail tail, JarProcess app, Path dir, String keyPrefix, int accounts)
            throws Exception {
        List<JsonNode> feed = FeedTail.readAll(app.port);
        assertThat(tail.conflicts).as("a seq served twice with different events").isEmpty();
        for (int i = 0; i < feed.size(); i++) {
            assertThat(feed.get(i).get("seq").asLong()).as("seqs are 1..n without gaps").isEqualTo(i + 1L);
        }
        Map<Long, JsonNode> bySeq = new HashMap<>();
        feed.forEach(e -> bySeq.put(e.get("seq").asLong(), e));
        tail.served().forEach((seq, event) -> assertThat(bySeq.get(seq))
                .as("seq %d as served before the kill", seq).isEqualTo(event));

        Map<String, Integer> arrivals = new HashMap<>();
        for (JsonNode e : feed) {
            String key = e.get("accountKey").asText();
            if (key.startsWith(keyPrefix)) {
                assertThat(e.get("type").asText()).as("a record read again after the restart changes nothing: %s", e)
                        .isIn(ARRIVALS);
                arrivals.merge(key, 1, Integer::sum);
            }
        }
        assertThat(arrivals).as("every record in the feed").hasSize(accounts);
        assertThat(arrivals.values()).as("every record once").allMatch(n -> n == 1);

        List<JsonNode> lines = feedFileLines(dir.resolve("data").resolve("feed"));
        assertThat(lines).as("the NDJSON files hold exactly the database's feed").isEqualTo(feed);

        List<String> ids = new ArrayList<>(tail.served().values().stream().map(e -> e.get("identityId").asText())
                .distinct().toList());
        Collections.shuffle(ids, new Random(SEED));
        for (String id : ids.subList(0, Math.min(50, ids.size()))) {
            HttpResponse<String> r = get(app.port, "/identities/" + id);
            assertThat(r.statusCode()).as("served identity %s still resolves: %s", id, r.body()).isEqualTo(200);
        }
    }

    static List<JsonNode> feedFileLines(Path feedDir) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(feedDir)) {
            files = list.filter(p -> p.getFileName().toString().matches("feed-\\d{20}\\.ndjson")).sorted().toList();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (Path f : files) {
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    // ---- driving the app --------------------------------------------------------------------------------

    static Random random(String scenario) {
        System.out.printf("crash %s: -Dcrash.seed=%d%n", scenario, SEED);
        return new Random(SEED ^ scenario.hashCode());
    }

    /** Somewhere between a tenth and nine tenths of the way. */
    static int killPoint(Random random, int total) {
        return total / 10 + random.nextInt(total * 8 / 10);
    }

    static String trial(int trial) {
        return "t" + trial;
    }

    void awaitServed(FeedTail tail, int events, JarProcess app) throws Exception {
        awaitTrue(() -> tail.servedCount() >= events, events + " events served", app);
    }

    void awaitArrivals(JarProcess app, String keyPrefix, int accounts) throws Exception {
        Instant deadline = Instant.now().plus(FINISH_WITHIN);
        Set<String> found = new java.util.HashSet<>();
        long after = 0;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> answer = get(app.port, "/feed?limit=1000&after=" + after);
            if (answer.statusCode() != 200) {
                // not a feed page (the restarted app still starting): ask again
                Thread.sleep(200);
                continue;
            }
            JsonNode page = JSON.readTree(answer.body());
            page.get("events").forEach(e -> {
                if (e.get("accountKey").asText().startsWith(keyPrefix)) {
                    found.add(e.get("accountKey").asText());
                }
            });
            after = page.get("next").asLong();
            if (found.size() >= accounts) {
                // whatever is still in flight (a re-read page, a redelivered webhook) has time to show itself
                Thread.sleep(2_000);
                return;
            }
            if (!page.get("hasMore").asBoolean()) {
                Thread.sleep(200);
            }
        }
        // what matters first: CI shows the head of a failure's message and cuts the rest
        throw new AssertionError(found.size() + " of " + accounts + " accounts reached the feed after the restart;"
                + " what the app said (warnings, errors, sync runs):\n" + digest(app.log()) + "\n"
                + idRuns(found, keyPrefix) + "; log:\n" + app.log());
    }

    /** The log lines that say why records are late: warnings, errors, and each sync run's start and summary. */
    static String digest(String log) {
        List<String> lines = log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")
                || l.startsWith("Caused by") || l.contains("outcome=") || l.contains("SyncRuns - sync ") && (
                l.contains(" from ") || l.contains("skipped"))).map(l -> l.length() > 400 ? l.substring(0, 400) + "..." : l)
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** The numeric ids found, as runs ({@code 1-4210, 4461-12000}): which stretch of a source is missing. */
    static String idRuns(Set<String> keys, String keyPrefix) {
        long[] ids = keys.stream().map(k -> k.substring(keyPrefix.length())).filter(id -> id.matches("\\d{1,18}"))
                .mapToLong(Long::parseLong).sorted().toArray();
        StringBuilder runs = new StringBuilder("ids found: ");
        for (int i = 0; i < ids.length; i++) {
            int start = i;
            while (i + 1 < ids.length && ids[i + 1] == ids[i] + 1) {
                i++;
            }
            runs.append(start == 0 ? "" : ", ").append(ids[start]).append(i > start ? "-" + ids[i] : "");
            if (runs.length() > 2_000) {
                return runs.append(" ...").toString();
            }
        }
        return runs.toString();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what, JarProcess app)
            throws Exception {
        Instant deadline = Instant.now().plus(FINISH_WITHIN);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what + "; log:\n" + app.log());
            }
            Thread.sleep(20);
        }
    }

    void sendWebhooks(int port, String secret, String trial, IntSupplier nextIndex, int total,
                              Set<Integer> acknowledged) {
        for (int i = nextIndex.getAsInt(); i < total; i = nextIndex.getAsInt()) {
            byte[] body = ("{\"id\":" + (8_000_000_000_000_000L + i) + ",\"email\":\"hook-" + trial + "-" + i
                    + "@corp.io\",\"first_name\":\"Hook\",\"updated_at\":\"2024-01-01T00:00:00Z\"}")
                    .getBytes(StandardCharsets.UTF_8);
            String hmac = Base64.getEncoder().encodeToString(
                    Signatures.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/crash-shop"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("X-Shopify-Hmac-Sha256", hmac).header("X-Shopify-Topic", "customers/create")
                        .header("X-Shopify-Event-Id", trial + "-" + i)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    acknowledged.add(i);
                }
            } catch (java.io.IOException killed) {
                // not acknowledged: the platform sends it again later
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
