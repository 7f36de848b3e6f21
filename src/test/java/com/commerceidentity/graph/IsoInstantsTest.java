package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Feed timestamps read exactly as Instant.toString() writes them, whatever the date and precision. */
class IsoInstantsTest {

    private static String rendered(Instant v) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            IsoInstants.write(g, "t", v, new char[IsoInstants.BUFFER]);
            g.writeEndObject();
        }
        return out.toString();
    }

    @Test
    void everyInstantIsWrittenAsInstantToStringWouldWriteIt() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L - 86_400L * 400, 253_402_300_800L + 86_400L * 400);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant v = Instant.ofEpochSecond(seconds, nanos);
            assertThat(rendered(v)).isEqualTo("{\"t\":\"" + v + "\"}");
        }
    }

    @Test
    void calendarEdgesAreRight() throws Exception {
        for (String s : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00Z",
                "2100-03-01T00:00:00.001Z", "2024-12-31T23:59:59.000001Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
            Instant v = Instant.parse(s);
            assertThat(rendered(v)).isEqualTo("{\"t\":\"" + v + "\"}");
        }
    }
}
