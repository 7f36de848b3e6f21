package com.commerceidentity.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real app on loopback with its data and inbox in a temporary directory, plus a small HTTP client. */
final class AppHarness implements AutoCloseable {
    static final String TOKEN = "test-drop-token-4f1d";
    /**
     * The stores the app tests hand exports in for, by id: drops are taken only for configured stores. Their
     * addresses are never called (no sync in these tests).
     */
    static final Map<String, String> DROP_STORES = Map.ofEntries(Map.entry("eu", "shopify"), Map.entry("plus", "shopify"),
            Map.entry("s1", "shopify"), Map.entry("s2", "shopify"), Map.entry("us", "bigcommerce"),
            Map.entry("s", "bigcommerce"), Map.entry("paging", "bigcommerce"), Map.entry("big", "bigcommerce"), Map.entry("default", "magento"),
            Map.entry("m1", "magento"), Map.entry("md", "medusa"),
            Map.entry("blocked-a", "shopify"), Map.entry("blocked-b", "bigcommerce"), Map.entry("linked", "shopify"));
    final Path dir;
    final int port;
    final EmbeddedApp app;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    AppHarness(Path dir, Map<String, String> extra) throws Exception {
        this(dir, freePort(), extra, true);
    }

    /** The app with only the stores the settings (and the sandbox) define: for tests of the store list itself. */
    static AppHarness withoutDropStores(Path dir, Map<String, String> extra) throws Exception {
        return new AppHarness(dir, freePort(), extra, false);
    }

    private AppHarness(Path dir, int port, Map<String, String> extra, boolean dropStores) throws Exception {
        this.dir = dir;
        this.port = port;
        Map<String, String> settings = new HashMap<>(Map.of(
                "app.data-dir", dir.resolve("data").toString(),
                "app.inbox-dir", dir.resolve("inbox").toString(),
                "app.inbox.poll-delay-ms", "100",
                "app.drop.token", TOKEN,
                "sandbox.enabled", "false",
                "app.sync.enabled", "false",
                "camel.server.port", Integer.toString(port)));
        // A store a test defines itself (in its settings or as a -D property) stays as the test defined it.
        DROP_STORES.forEach((id, platform) -> {
            if (!dropStores || System.getProperty("stores." + id + ".platform") != null
                    || extra.keySet().stream().anyMatch(k -> k.startsWith("stores." + id + "."))) {
                return;
            }
            settings.put("stores." + id + ".platform", platform);
            settings.put("stores." + id + ".base-url", "http://127.0.0.1:9");
        });
        if ("true".equals(extra.get("sandbox.enabled"))) {
            // Tests run in two JVMs at once: the shipped stores' fixed ports (18101-18105) would collide.
            settings.putAll(com.commerceidentity.sandbox.SandboxStores.onFreePorts());
        }
        settings.putAll(extra);
        this.app = EmbeddedApp.start(settings);
    }

    static int freePort() throws IOException {
        return com.commerceidentity.TestPorts.free();
    }

    Path inbox() {
        return dir.resolve("inbox");
    }

    Path feedDir() {
        return dir.resolve("data").resolve("feed");
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getWithToken(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/x-ndjson");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws Exception {
        return json.readTree(get(path).body());
    }

    @Override
    public void close() {
        app.close();
    }
}
