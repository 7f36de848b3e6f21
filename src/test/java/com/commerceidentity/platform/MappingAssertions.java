package com.commerceidentity.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.model.MappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;

public final class MappingAssertions {
    private MappingAssertions() {
    }

    /** The mapping fails with a MappingException naming exactly {@code field} (null: the record as a whole). */
    public static void assertField(Runnable mapping, String field) {
        assertThatThrownBy(mapping::run)
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).field()).as(e.getMessage()).isEqualTo(field));
    }

    public static void assertConforms(JsonSchema schema, JsonNode sample) {
        assertThat(schema.validate(sample)).as("violations of %s", sample).isEmpty();
    }
}
