package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /openapi.json from the running app: every endpoint is in it and described; the rest answer as before. */
class OpenApiDocumentTest {
    static final Set<String> OPERATIONS = Set.of(
            "POST /drop/{platform}/{store}",
            "GET /feed", "GET /feed/snapshot",
            "GET /identities/{id}",
            "GET /identities",
            "GET /stores",
            "GET /stores/{id}/status",
            "GET /stores/{id}/budget",
            "POST /stores/{id}/sync/{surface}",
            "POST /stores/{id}/check",
            "POST /webhooks/{platform}/{store}",
            "GET /webhook-inbox",
            "POST /webhook-inbox/retry",
            "POST /stores/{id}/webhooks",
            "GET /",
            "GET /status.js");
    static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    @TempDir
    static Path dir;
    static AppHarness app;

    @BeforeAll
    static void start() throws Exception {
        app = new AppHarness(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return app.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDocumentListsEveryEndpointWithItsParametersAndStatusCodes() throws Exception {
        HttpResponse<String> r = app.get("/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode doc = app.json.readTree(r.body());

        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                documented.add(name);
                JsonNode operation = op.getValue();
                assertThat(operation.path("summary").asText()).as(name + " says what it does").isNotBlank();
                assertThat(operation.path("operationId").asText()).as(name).isNotBlank();

                Set<String> codes = new TreeSet<>();
                operation.path("responses").fieldNames().forEachRemaining(codes::add);
                assertThat(codes).as(name + " lists its status codes").isNotEmpty().doesNotContain("default");
                operation.path("responses").forEach(resp ->
                        assertThat(resp.path("description").asText()).as(name + " response").isNotBlank());

                Set<String> pathParams = new TreeSet<>();
                for (JsonNode p : operation.path("parameters")) {
                    assertThat(p.path("description").asText()).as(name + " parameter " + p.path("name")).isNotBlank();
                    assertThat(p.has("required")).as(name + " parameter " + p.path("name") + " says if required").isTrue();
                    if (p.path("in").asText().equals("path")) {
                        assertThat(p.path("required").asBoolean()).as(name + " " + p.path("name")).isTrue();
                        pathParams.add(p.path("name").asText());
                    }
                }
                Set<String> inTemplate = new TreeSet<>();
                Matcher m = PATH_PARAM.matcher(path.getKey());
                while (m.find()) {
                    inTemplate.add(m.group(1));
                }
                assertThat(pathParams).as(name + " declares each path parameter").isEqualTo(inTemplate);
            }
        }
        assertThat(documented).isEqualTo(new TreeSet<>(OPERATIONS));

        JsonNode drop = doc.at("/paths/~1drop~1{platform}~1{store}/post");
        assertThat(drop.path("responses").has("401")).isTrue();
        assertThat(drop.path("security").toString()).as("the drop needs the bearer token").contains("dropToken");
        assertThat(doc.at("/components/securitySchemes/dropToken/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/paths/~1stores~1{id}~1sync~1{surface}/post/responses").has("202")).isTrue();
        assertThat(doc.at("/paths/~1identities/get/parameters/0/name").asText()).isEqualTo("email");
    }

    @Test
    void titleVersionAndDescriptionComeFromTheProperties() throws Exception {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"), StandardCharsets.UTF_8)) {
            props.load(in);
        }
        JsonNode info = app.getJson("/openapi.json").get("info");
        assertThat(info.path("title").asText()).isEqualTo(props.getProperty("camel.rest.api-properties[api.title]"))
                .isNotBlank();
        assertThat(info.path("version").asText()).isEqualTo(props.getProperty("camel.rest.api-properties[api.version]"))
                .isNotBlank();
        assertThat(info.path("description").asText())
                .isEqualTo(props.getProperty("camel.rest.api-properties[api.description]")).isNotBlank();
        HttpResponse<String> proxied = app.http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port + "/openapi.json")).timeout(Duration.ofSeconds(10))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "feed.example.com").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(app.json.readTree(proxied.body()).at("/servers/0/url").asText())
                .as("behind a proxy, the address clients use").isEqualTo("https://feed.example.com");
    }

    @Test
    void aMethodNoEndpointDocumentsIsStillRefusedAsBefore() throws Exception {
        for (String[] call : new String[][] {{"DELETE", "/feed"}, {"GET", "/drop/shopify/eu"},
                {"PUT", "/stores"}, {"GET", "/webhooks/shopify/eu"}, {"GET", "/stores/eu/sync/customers"},
                {"POST", "/identities/idn_x"}, {"POST", "/openapi.json"}}) {
            HttpResponse<String> r = send(call[0], call[1]);
            assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(405);
            assertThat(r.body()).as(call[0] + " " + call[1]).isEmpty();
        }
        assertThat(app.get("/no-such-endpoint").statusCode()).isEqualTo(404);
        assertThat(app.get("/feed").statusCode()).as("the documented one still answers").isEqualTo(200);
    }
}
