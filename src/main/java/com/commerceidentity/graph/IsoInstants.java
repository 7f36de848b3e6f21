package com.commerceidentity.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;

/**
 * Writes an {@link Instant} exactly as {@link Instant#toString()} does (ISO-8601, UTC, seconds always, fraction
 * in groups of three digits only when non-zero) into a reused buffer. Every feed event renders several
 * instants per account; {@code toString()} allocated about a tenth of all ingest garbage.
 */
final class IsoInstants {
    /** Enough for any instant this class formats itself; callers reuse one per snapshot. */
    static final int BUFFER = 32;

    private IsoInstants() {
    }

    /** Writes {@code v} as a JSON string field, using {@code buf} (at least {@link #BUFFER} chars) as scratch. */
    static void write(JsonGenerator g, String field, Instant v, char[] buf) throws IOException {
        long seconds = v.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400L);
        int secOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date algorithms").
        long z = day + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long year = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int dom = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (month <= 2) {
            year++;
        }
        if (year < 0 || year > 9_999) {
            g.writeStringField(field, v.toString());
            return;
        }
        int n = 0;
        n = digits(buf, n, (int) year, 4);
        buf[n++] = '-';
        n = digits(buf, n, month, 2);
        buf[n++] = '-';
        n = digits(buf, n, dom, 2);
        buf[n++] = 'T';
        n = digits(buf, n, secOfDay / 3_600, 2);
        buf[n++] = ':';
        n = digits(buf, n, secOfDay / 60 % 60, 2);
        buf[n++] = ':';
        n = digits(buf, n, secOfDay % 60, 2);
        int nano = v.getNano();
        if (nano > 0) {
            buf[n++] = '.';
            if (nano % 1_000_000 == 0) {
                n = digits(buf, n, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                n = digits(buf, n, nano / 1_000, 6);
            } else {
                n = digits(buf, n, nano, 9);
            }
        }
        buf[n++] = 'Z';
        g.writeFieldName(field);
        g.writeString(buf, 0, n);
    }

    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
