package com.commerceidentity.app;

import com.commerceidentity.sandbox.SandboxStores;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar users run: it must start on its own (Camel's service files survived shading), read the top-level
 * settings, take overrides from the environment, and serve the feed.
 */
class PackagedJarIT {
    @TempDir
    Path dir;

    @Test
    void theShadedJarStartsTakesEnvironmentOverridesAndServesTheFeed() throws Exception {
        Path jar = Path.of("target", "commerce-identity-feed.jar").toAbsolutePath();
        assertThat(jar).exists();
        int port = AppHarness.freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dcamel.server.port=" + port, "-Dsandbox.enabled=false", "-Dapp.inbox-dir=" + dir.resolve("inbox"),
                "-Dstores.jar.platform=shopify", "-Dstores.jar.base-url=http://127.0.0.1:9",
                "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
        pb.environment().put("APP_DATA_DIR", dir.resolve("data-from-env").toString());
        pb.environment().put("APP_DROP_TOKEN", "jar-token");
        Process process = pb.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            URI feed = URI.create("http://127.0.0.1:" + port + "/feed");
            Instant deadline = Instant.now().plusSeconds(60);
            HttpResponse<String> first = null;
            while (first == null && Instant.now().isBefore(deadline) && process.isAlive()) {
                try {
                    first = http.send(HttpRequest.newBuilder(feed).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(first).as("jar answered /feed; log:\n%s", Files.readString(dir.resolve("app.log"))).isNotNull();
            // Requests that arrive while the routes start are held until they are up, so the first answer is the feed.
            assertThat(first.statusCode()).as("first answer %s; log:\n%s", first.body(),
                    Files.readString(dir.resolve("app.log"))).isEqualTo(200);

            HttpResponse<String> drop = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/drop/shopify/jar"))
                    .header("Authorization", "Bearer jar-token").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"id\":9007199254740993,\"email\":\"jar@corp.io\","
                            + "\"updated_at\":\"2024-01-01T00:00:00Z\"}]", StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(drop.statusCode()).as(drop.body()).isEqualTo(200);

            JsonNode events = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(feed).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("events");
            assertThat(events.get(0).get("accountKey").asText())
                    .as("2^53 + 1 survives exactly").isEqualTo("shopify:jar:customer:9007199254740993");
            assertThat(dir.resolve("data-from-env").resolve("feed")).isDirectoryContaining("glob:**.ndjson");

        } finally {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aJarThatCannotStartExitsWithAnErrorNamingTheBrokenRouteFile() throws Exception {
        Path jar = Path.of("target", "commerce-identity-feed.jar").toAbsolutePath();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("broken.yaml"), "- route:\n    id: broken\n    from:\n      uri: nosuchcomponent:x\n");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcamel.server.port=" + AppHarness.freePort(), "-Dcamel.management.port=0",
                "-Dapp.data-dir=" + dir.resolve("data"), "-Dapp.inbox-dir=" + dir.resolve("inbox"),
                // sandbox stores start before the routes load: their threads must not keep the JVM alive
                "-Dsandbox.enabled=true", "-Dstores.shopify-sandbox.base-url=http://127.0.0.1:0",
                "-Dstores.bigcommerce-sandbox.base-url=http://127.0.0.1:0/stores/abc123",
                "-Dstores.magento-sandbox.base-url=http://127.0.0.1:0/rest/all",
                "-Dstores.medusa-sandbox.base-url=http://127.0.0.1:0",
                "-Dstores.woocommerce-sandbox.base-url=http://127.0.0.1:0",
                "-Dcamel.main.routes-include-pattern=file:" + routes + "/*.yaml", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("broken.log").toFile()).start();
        try {
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the JVM exits").isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.readString(dir.resolve("broken.log"))).contains("broken.yaml");
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A service manager stops the app with SIGTERM. H2 closes its databases in a JVM shutdown hook of its own,
     * which raced Camel's graceful stop: routes still syncing failed with "Database is already closed" (4 times
     * in each of 3 tries with the default sandbox stores syncing).
     */
    @Test
    void aSigtermStopsTheRoutesBeforeTheDatabaseCloses() throws Exception {
        int port = AppHarness.freePort();
        java.util.List<String> settings = new java.util.ArrayList<>(java.util.List.of("sandbox.enabled=true",
                "app.sync.enabled=true"));
        com.commerceidentity.sandbox.SandboxStores.onFreePorts().forEach((k, v) -> settings.add(k + "=" + v));
        Process process = startJar(port, settings.toArray(String[]::new));
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline) && new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/feed?limit=1")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("events").isEmpty()) {
                Thread.sleep(200);
            }
            process.destroy();
            assertThat(process.waitFor(45, java.util.concurrent.TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(Files.readString(dir.resolve("app.log"))).as("the sandbox stores were syncing")
                    .contains("SyncRuns");
            assertThat(Files.readString(dir.resolve("app.log"))).as("routes stop before the database closes")
                    .doesNotContain("Database is already closed");
        } finally {
            process.destroyForcibly();
        }
    }

    private Process startJar(int port, String... settings) throws Exception {
        Path jar = Path.of("target", "commerce-identity-feed.jar").toAbsolutePath();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dcamel.server.port=" + port, "-Dcamel.management.port=0", "-Dsandbox.enabled=false",
                "-Dapp.sync.enabled=false", "-Dapp.data-dir=" + dir.resolve("data"), "-Dapp.inbox-dir=" + dir.resolve("inbox")));
        for (String setting : settings) {
            cmd.add("-D" + setting);
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("app.log").toFile())).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/feed"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return process;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the jar did not start; log:\n" + Files.readString(dir.resolve("app.log")));
    }

    @Test
    void webhooksAnswered200SurviveTheProcessBeingKilled() throws Exception {
        String secret = "kill-test-secret";
        String[] store = {"stores.kill-shop.platform=shopify", "stores.kill-shop.base-url=http://127.0.0.1:9",
                "stores.kill-shop.webhook-secret=" + secret};
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        int port = AppHarness.freePort();
        int sent = 40;
        Process first = startJar(port, store);
        try {
            for (int i = 1; i <= sent; i++) {
                byte[] body = ("{\"id\":" + (8800 + i) + ",\"email\":\"killed" + i + "@corp.io\","
                        + "\"updated_at\":\"2024-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                String hmac = java.util.Base64.getEncoder().encodeToString(com.commerceidentity.webhook.Signatures
                        .hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/kill-shop"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("X-Shopify-Hmac-Sha256", hmac).header("X-Shopify-Topic", "customers/create")
                        .header("X-Shopify-Event-Id", "kill-" + i).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
        } finally {
            // SIGKILL right after the last 200: nothing gets to flush or shut down cleanly.
            first.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        Process second = startJar(port, store);
        try {
            Instant deadline = Instant.now().plusSeconds(30);
            long found = 0;
            while (Instant.now().isBefore(deadline)) {
                JsonNode events = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/feed?limit=1000")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).get("events");
                found = java.util.stream.StreamSupport.stream(events.spliterator(), false)
                        .map(e -> e.path("accountKey").asText()).filter(k -> k.startsWith("shopify:kill-shop:")).distinct().count();
                if (found == sent) {
                    break;
                }
                Thread.sleep(300);
            }
            assertThat(found).as("every acknowledged webhook reached the feed after the kill; log:\n%s",
                    Files.readString(dir.resolve("app.log"))).isEqualTo(sent);
        } finally {
            second.destroy();
            if (!second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }
}
