package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the console tells a new user: where the service really listens, and expected trouble in one line. */
class ConsoleTest {
    @TempDir
    Path dir;

    @Test
    void afterStartUpTheConsoleNamesTheBoundAddressAndABadFileGetsOneLine() throws Exception {
        int port = AppHarness.freePort();
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("app.inbox.poll-delay-ms", "100");
        s.put("camel.server.port", Integer.toString(port));
        s.put("camel.management.port", Integer.toString(AppHarness.freePort()));
        s.put("sandbox.enabled", "false");
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String logged;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            Path shop = Files.createDirectories(dir.resolve("inbox").resolve("magento").resolve("default"));
            Path staging = Files.writeString(dir.resolve("export.json"), "[\n{\"id\":1,\"email\":\"a@b.io\"},\n{\"id\":2,",
                    StandardCharsets.UTF_8);
            Files.move(staging, shop.resolve("export.json"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.exists(dir.resolve("inbox/.error/magento/default/export.json.error.txt")));
        } finally {
            System.setErr(err);
            logged = log.toString(StandardCharsets.UTF_8);
            err.print(logged);
        }
        assertThat(logged).contains("status page   http://127.0.0.1:" + port + "/")
                .contains("curl 'http://127.0.0.1:" + port + "/feed?after=0&limit=5'")
                .contains(dir.resolve("data").resolve("feed").toAbsolutePath().toString());
        assertThat(logged).as("the address it binds, not Camel's 0.0.0.0").doesNotContain("0.0.0.0");
        assertThat(logged.lines().filter(l -> l.contains("export.json"))).as("the bad file")
                .anySatisfy(l -> assertThat(l).contains("cannot be read"));
        assertThat(logged).as("an expected condition, not a stack trace").doesNotContain("Message History")
                .doesNotContain("\tat com.commerceidentity");
    }

    @Test
    void withPortZeroTheConsoleNamesThePortsTheOperatingSystemChoseAndTheyAnswer() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("camel.server.port", "0");
        s.put("camel.management.port", "0");
        s.put("sandbox.enabled", "false");
        s.put("app.inbox.poll-delay-ms", "100");
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            System.setErr(err);
            String logged = log.toString(StandardCharsets.UTF_8);
            err.print(logged);
            java.util.regex.Matcher feed = java.util.regex.Pattern.compile("curl '(http://127\\.0\\.0\\.1:\\d+/feed)")
                    .matcher(logged);
            java.util.regex.Matcher health = java.util.regex.Pattern.compile(
                    "health +(http://127\\.0\\.0\\.1:\\d+/observe/health/ready)").matcher(logged);
            assertThat(feed.find()).as("the feed's address is shown").isTrue();
            assertThat(health.find()).as("the health address is shown").isTrue();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> feedAnswer = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(feed.group(1))).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(feedAnswer.statusCode()).as("%s answers", feed.group(1)).isEqualTo(200);
            // readiness says DOWN until the inbox has polled once (app.inbox.poll-delay-ms), then UP
            java.net.URI ready = java.net.URI.create(health.group(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> http.send(java.net.http.HttpRequest.newBuilder(ready)
                    .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body().contains("\"status\":\"UP\""));
        } finally {
            System.setErr(err);
        }
    }
}
