package com.commerceidentity.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The route files ops edit: each one matches Camel's own YAML DSL schema (a misspelt option such as
 * {@code timePeriodMilis} fails here, not at 3 a.m.), and every route and template says what it is for.
 */
class RouteFilesTest {
    static JsonSchema camelYamlDsl;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("camel-yaml-dsl ships its schema").isNotNull();
            camelYamlDsl = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    /** The shared route files and each platform's own (routes/platforms). */
    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("routes")), Files.list(Path.of("routes", "platforms")))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void matchesTheCamelYamlDslSchema(Path file) throws IOException {
        Set<ValidationMessage> problems = camelYamlDsl.validate(YAML.readTree(file.toFile()));
        // The schema types numbers and booleans strictly, but Camel resolves {{placeholders}} before it reads
        // them: a placeholder where a number belongs is how ops tune a route, not a mistake.
        assertThat(problems.stream().filter(m -> !isPlaceholder(m.getInstanceNode())).toList())
                .as(file + " against camelYamlDsl.json").isEmpty();
    }

    private static boolean isPlaceholder(JsonNode value) {
        return value != null && value.isTextual() && value.asText().matches("\\{\\{[^}]+}}");
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void everyRouteHasAnIdAndADescription(Path file) throws IOException {
        for (JsonNode entry : YAML.readTree(file.toFile())) {
            JsonNode route = entry.has("route") ? entry.get("route")
                    : entry.has("routeTemplate") ? entry.get("routeTemplate").path("route") : null;
            if (route == null) {
                continue;
            }
            String id = entry.has("route") ? route.path("id").asText("") : entry.get("routeTemplate").path("id").asText("");
            assertThat(id).as("a route in " + file + " without an id").isNotBlank();
            String description = entry.has("route") ? route.path("description").asText("")
                    : entry.get("routeTemplate").path("description").asText(route.path("description").asText(""));
            assertThat(description).as("route " + id + " in " + file + " says what it is for").isNotBlank();
        }
    }
}
