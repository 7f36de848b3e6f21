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
