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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** Reads the platform specs in {@code shared/platform-specs}, located by system property {@code shared.dir}. */
public final class SharedSpecs {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private SharedSpecs() {
    }

    public static Path specs() {
        Path dir = Path.of(System.getProperty("shared.dir", "../shared")).resolve("platform-specs");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("platform specs not found at " + dir.toAbsolutePath()
                    + "; set -Dshared.dir to the shared/ folder");
        }
        return dir;
    }

    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(specs().resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(specs().resolve(relative).toFile());
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
        // Only the schema containers: the rest of the document is not JSON Schema and would only draw warnings.
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (String container : new String[] {"definitions", "components"}) {
            if (spec.has(container)) {
                root.set(container, spec.get(container).deepCopy());
            }
        }
        admitNull(root);
        root.put("$ref", pointer);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
    }

    private static void admitNull(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type != null && type.isTextual() && !"null".equals(type.textValue())) {
                ArrayNode types = JsonNodeFactory.instance.arrayNode().add(type.textValue()).add("null");
                object.set("type", types);
            }
            // Annotations only (examples, vendor extensions): dropped so the validator does not warn about them.
            object.remove("example");
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().startsWith("x-")) {
                    it.remove();
                } else {
                    admitNull(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(SharedSpecs::admitNull);
        }
    }
}
