package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartAndStartupTest {
    @TempDir
    Path dir;

    private static byte[] customer(long id, String email) {
        return ("{\"id\":" + id + ",\"email\":\"" + email + "\",\"date_modified\":\"2024-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> fileSeqs(Path feed) throws Exception {
        try (Stream<Path> files = Files.list(feed)) {
            return files.sorted().flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).map(l -> Long.parseLong(l.substring(7, l.indexOf(',')))).toList();
        }
    }

    @Test
    void aRestartKeepsIdentitiesAndContinuesTheFeedSequence() throws Exception {
        String id;
        long lastSeq;
        try (AppHarness first = new AppHarness(dir, Map.of())) {
            first.post("/drop/bigcommerce/s", AppHarness.TOKEN, customer(1, "keep@corp.io"));
            JsonNode found = first.getJson("/identities?email=keep@corp.io");
            id = found.at("/identities/0/id").asText();
            lastSeq = first.getJson("/feed").get("next").asLong();
        }
        try (AppHarness second = new AppHarness(dir, Map.of())) {
            assertThat(second.getJson("/identities/" + id).at("/accounts/0/emailNormalized").asText())
                    .isEqualTo("keep@corp.io");
            second.post("/drop/bigcommerce/s", AppHarness.TOKEN, customer(2, "next@corp.io"));
            JsonNode page = second.getJson("/feed?after=" + lastSeq);
            assertThat(page.at("/events/0/seq").asLong()).isEqualTo(lastSeq + 1);
            assertThat(fileSeqs(second.feedDir())).as("files hold every event once, in order")
                    .containsExactly(java.util.stream.LongStream.rangeClosed(1, lastSeq + 1).boxed().toArray(Long[]::new));
        }
    }

    @Test
    void feedFilesCatchUpWithEventsCommittedBeforeACrashAndDropATornLine() throws Exception {
        try (AppHarness first = new AppHarness(dir, Map.of())) {
            first.post("/drop/bigcommerce/s", AppHarness.TOKEN, customer(1, "a@corp.io"));
            first.post("/drop/bigcommerce/s", AppHarness.TOKEN, customer(2, "b@corp.io"));
        }
        Path feed = dir.resolve("data/feed");
        Path file;
        try (Stream<Path> files = Files.list(feed)) {
            file = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        List<String> lines = Files.readAllLines(file);
        // As if the process died while writing the second event: half a line, no newline.
        Files.writeString(file, lines.get(0) + "\n" + lines.get(1).substring(0, 40), StandardCharsets.UTF_8);

        try (AppHarness second = new AppHarness(dir, Map.of())) {
            assertThat(fileSeqs(second.feedDir())).containsExactly(1L, 2L);
        }
    }

    @Test
    void aStartWhosePortIsTakenFailsNamingThePort() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> new AppHarness(dir, Map.of("camel.server.port",
                    Integer.toString(taken.getLocalPort()))).close())
                    .hasStackTraceContaining("camel.server.port " + taken.getLocalPort() + " on 127.0.0.1 cannot be bound");
        }
    }

    /**
     * A stop that comes while a big file is read (a deploy, a SIGTERM): the file is not the problem, so it is
     * neither moved to .error/ nor to .done/ half-read; it stays in the inbox and the restart finishes it, the
     * records committed before the stop producing nothing new.
     */
    @Test
    void aFileCutShortByAStopStaysInTheInboxAndIsFinishedAfterTheRestart() throws Exception {
        int records = 60_000;
        Path store = dir.resolve("inbox/bigcommerce/big");
        Files.createDirectories(store);
        Path part = store.resolve("customers.ndjson.part");
        try (var out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= records; i++) {
                out.write(new String(customer(i, "big" + i + "@corp.io"), StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        long servedBeforeStop;
        try (AppHarness first = new AppHarness(dir, Map.of())) {
            Files.move(part, store.resolve("customers.ndjson"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> first.getJson("/feed?limit=1").get("next").asLong() > 0);
            servedBeforeStop = first.getJson("/feed?limit=1").get("next").asLong();
        }
        assertThat(store.resolve("customers.ndjson")).as("still in the inbox after the stop").exists();
        assertThat(dir.resolve("inbox/.error")).as("not an error: nothing was moved there").isEmptyDirectory();
        assertThat(dir.resolve("inbox/.done/bigcommerce/big/customers.ndjson")).doesNotExist();

        try (AppHarness second = new AppHarness(dir, Map.of())) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
                    .until(() -> Files.exists(dir.resolve("inbox/.done/bigcommerce/big/customers.ndjson")));
            List<Long> seqs = fileSeqs(second.feedDir());
            assertThat(servedBeforeStop).as("the stop came mid-file").isLessThan(records);
            assertThat(seqs).as("every record once, numbered without gaps")
                    .containsExactly(java.util.stream.LongStream.rangeClosed(1, records).boxed().toArray(Long[]::new));
        }
    }

    @Test
    void aBrokenRouteFileStopsStartUpNamingTheFile() throws Exception {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        Files.writeString(routes.resolve("broken.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: timer:x
                      steps:
                        - nosuchstep: {}
                """);
        assertThatThrownBy(() -> new AppHarness(dir, Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml")).close())
                .hasStackTraceContaining("broken.yaml");
    }

    @Test
    void aRouteFileTypoIsOneLineWithLineAndColumnBeforeTheSandboxStarts() throws Exception {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        Files.writeString(routes.resolve("typo.yaml"), """
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - nosuchstep: {}
                """);
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        Throwable failure;
        try {
            failure = org.assertj.core.api.Assertions.catchThrowable(() -> new AppHarness(dir, Map.of(
                    "sandbox.enabled", "true",
                    "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml")).close());
        } finally {
            System.setErr(err);
        }
        String logged = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        err.print(logged);
        assertThat(failure).isNotNull();
        assertThat(RouteFileReload.oneLine(failure)).contains("typo.yaml", "nosuchstep", "line 6, column");
        assertThat(logged).as("the route files are read before the sandbox stores start")
                .doesNotContain("sandbox store '");
    }

    @Test
    void theXmlRouteLoadsBesideTheYamlOnes() throws Exception {
        try (AppHarness app = new AppHarness(dir, Map.of())) {
            assertThat(app.app.context().getRoute("feed-roll-by-age")).isNotNull();
            assertThat(app.app.context().getRoute("file-drop")).isNotNull();
        }
    }

    @Test
    void switchingPhoneMatchingOnAfterARestartMergesByPhone() throws Exception {
        byte[] first = ("{\"id\":1,\"email\":\"one@corp.io\",\"phone\":\"+1 415 555 0101\","
                + "\"date_modified\":\"2024-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
        byte[] second = ("{\"id\":2,\"email\":\"two@corp.io\",\"phone\":\"(415) 555-0101\","
                + "\"date_modified\":\"2024-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
        try (AppHarness off = new AppHarness(dir, Map.of())) {
            assertThat(off.post("/drop/bigcommerce/s", AppHarness.TOKEN, first).statusCode()).isEqualTo(200);
        }
        try (AppHarness on = new AppHarness(dir, Map.of("app.match.phone", "true"))) {
            assertThat(on.post("/drop/bigcommerce/s", AppHarness.TOKEN, second).statusCode()).isEqualTo(200);
            JsonNode one = on.getJson("/identities?email=one@corp.io").path("identities");
            JsonNode two = on.getJson("/identities?email=two@corp.io").path("identities");
            assertThat(one).hasSize(1);
            assertThat(two.get(0).path("id")).as("the same person, found by phone").isEqualTo(one.get(0).path("id"));
        }
    }
}
