package com.commerceidentity.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads the platform specs kept under {@code platform-specs/} on the test classpath. */
public final class SharedSpecs {
    public static final String ROOT = "platform-specs/";
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    /** By spec document identity: hashing a whole spec tree on every lookup would cost more than compiling. */
    private static final Map<JsonNode, Map<String, JsonSchema>> RESPONSE_SCHEMAS = new IdentityHashMap<>();

    private SharedSpecs() {
    }

    /**
     * One spec file, e.g. {@code bigcommerce/customers.v3.yml}. Read from the test classpath so that a plain clone
     * runs the suite; the copies and their provenance live in {@code src/test/resources/platform-specs}.
     */
    public static URL resource(String relative) {
        URL url = SharedSpecs.class.getClassLoader().getResource(ROOT + relative);
        if (url == null) {
            throw new IllegalStateException("platform spec " + ROOT + relative + " is not on the test classpath;"
                    + " copy it into src/test/resources/" + ROOT + " and note its source in SOURCES.md there");
        }
        return url;
    }

    public static JsonNode json(String relative) {
        try (InputStream in = resource(relative).openStream()) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode yaml(String relative) {
        try (InputStream in = resource(relative).openStream()) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A validator for one schema of a Swagger 2.0 / OpenAPI 3.0 document, e.g. pointer
     * {@code #/definitions/customer-data-customer-interface}. Neither spec marks any field nullable although both
     * platforms send null for absent values (Medusa's deleted_at, Magento's middlename), so every typed schema
     * also admits null; everything else is checked as the spec says.
     */
    public static JsonSchema schema(JsonNode spec, String pointer) {
        return schemaOf(spec, JsonNodeFactory.instance.objectNode().put("$ref", pointer));
    }

    /**
     * The schema the spec declares for one response: {@code responses/<status>} (or {@code default}), following a
     * {@code $ref} to a shared response, then Swagger 2's {@code schema} or OpenAPI 3's JSON content schema.
     */
    public static JsonSchema responseSchema(JsonNode spec, String path, String method, int status) {
        // Compiling copies the whole schema container; tests validate many bodies against the same response.
        Map<String, JsonSchema> compiled;
        synchronized (RESPONSE_SCHEMAS) {
            compiled = RESPONSE_SCHEMAS.computeIfAbsent(spec, s -> new ConcurrentHashMap<>());
        }
        return compiled.computeIfAbsent(method + " " + path + " " + status,
                key -> compileResponseSchema(spec, path, method, status));
    }

    private static JsonSchema compileResponseSchema(JsonNode spec, String path, String method, int status) {
        JsonNode responses = spec.path("paths").path(path).path(method).path("responses");
        JsonNode response = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status)) : responses.get("default");
        if (response == null) {
            throw new AssertionError("the spec declares no " + status + " response for " + method + " " + path);
        }
        if (response.has("$ref")) {
            response = spec.at(response.get("$ref").asText().substring(1));
        }
        JsonNode schema = response.has("schema") ? response.get("schema")
                : response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            throw new AssertionError("the " + status + " response of " + method + " " + path + " has no JSON schema");
        }
        return schemaOf(spec, schema);
    }

    private static JsonSchema schemaOf(JsonNode spec, JsonNode schema) {
        // Only the schema containers: the rest of the document is not JSON Schema and would only draw warnings.
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (String container : new String[] {"definitions", "components"}) {
            if (spec.has(container)) {
                root.set(container, spec.get(container).deepCopy());
            }
        }
        root.setAll((ObjectNode) schema.deepCopy());
        admitNull(root);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
    }

    /** Makes the schema of every object property also accept null; the root and array items stay as declared. */
    private static void admitNull(JsonNode node) {
        if (node instanceof ObjectNode object) {
            // Annotations only (examples, vendor extensions): dropped so the validator does not warn about them.
            object.remove("example");
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().startsWith("x-")) {
                    it.remove();
                } else if (field.getKey().equals("properties") && field.getValue() instanceof ObjectNode properties) {
                    properties.forEach(property -> {
                        JsonNode type = property.get("type");
                        if (type != null && type.isTextual()) {
                            ((ObjectNode) property).set("type",
                                    JsonNodeFactory.instance.arrayNode().add(type.textValue()).add("null"));
                        }
                        admitNull(property);
                    });
                } else {
                    admitNull(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(SharedSpecs::admitNull);
        }
    }
}
