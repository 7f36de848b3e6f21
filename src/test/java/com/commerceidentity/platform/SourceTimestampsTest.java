package com.commerceidentity.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.model.MappingException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SourceTimestampsTest {

    @Test
    void isoWithZuluOrOffsetIsTheSameInstant() {
        Instant expected = Instant.parse("2025-04-02T16:27:00Z");
        assertThat(SourceTimestamps.parse("f", "2025-04-02T16:27:00Z")).isEqualTo(expected);
        assertThat(SourceTimestamps.parse("f", "2025-04-02T11:27:00-05:00")).isEqualTo(expected);
        assertThat(SourceTimestamps.parse("f", "2025-04-02T18:27:00+0200")).isEqualTo(expected);
        assertThat(SourceTimestamps.parse("f", "2025-04-02T16:27:00+00:00")).isEqualTo(expected);
    }

    @Test
    void fractionalSecondsOfAnyPrecisionAreKept() {
        assertThat(SourceTimestamps.parse("f", "2024-10-24T10:00:00.5Z")).isEqualTo(Instant.parse("2024-10-24T10:00:00.500Z"));
        assertThat(SourceTimestamps.parse("f", "2024-10-24T10:00:00.123456789Z"))
                .isEqualTo(Instant.parse("2024-10-24T10:00:00.123456789Z"));
    }

    @Test
    void magentoSpaceSeparatedFormIsUtc() {
        assertThat(SourceTimestamps.parse("f", "2024-01-01 10:00:00")).isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
    }

    @Test
    void blankIsNoValue() {
        assertThat(SourceTimestamps.parse("f", null)).isNull();
        assertThat(SourceTimestamps.parse("f", " ")).isNull();
    }

    @Test
    void unparsableValueNamesTheField() {
        for (String bad : new String[] {"yesterday", "2024-13-01T00:00:00Z", "2024-01-0110:00:00", "1561481571",
                "Tue, 20 Nov 2012 00:00:00 +0000"}) {
            assertThatThrownBy(() -> SourceTimestamps.parse("meta.lastModified", bad))
                    .isInstanceOf(MappingException.class)
                    .hasMessageContaining(bad)
                    .satisfies(e -> assertThat(((MappingException) e).field()).isEqualTo("meta.lastModified"));
        }
    }
}
