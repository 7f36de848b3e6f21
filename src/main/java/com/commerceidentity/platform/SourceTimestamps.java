package com.commerceidentity.platform;

import com.commerceidentity.model.MappingException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * The one parser for every platform's timestamps, so a version written by one platform compares correctly
 * with another's.
 *
 * <p>Accepted forms: ISO-8601 with {@code Z}, {@code +hh:mm} or {@code +hhmm} (Shopify sends local offsets such
 * as {@code -05:00}, Medusa and BigCommerce {@code Z}), any number of fractional digits, and either {@code T}
 * or a space between date and time. A value without an offset is UTC: that is Magento's
 * {@code 2024-01-01 10:00:00} form, which Magento writes from UTC database columns.
 */
public final class SourceTimestamps {

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private SourceTimestamps() {
    }

    /**
     * @param field the JSON field the text came from, named in the error
     * @return the instant, or null for null/blank text (the platforms leave optional dates empty)
     * @throws MappingException naming {@code field} when the text is not one of the accepted forms
     */
    public static Instant parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant fast = plainUtc(text);
        if (fast != null) {
            return fast;
        }
        try {
            String trimmed = text.trim();
            if (trimmed.length() > 10 && trimmed.charAt(10) == ' ') {
                trimmed = trimmed.substring(0, 10) + 'T' + trimmed.substring(11);
            }
            TemporalAccessor parsed = FORMAT.parse(trimmed);
            LocalDateTime local = LocalDateTime.from(parsed);
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
            return local.toInstant(offset);
        } catch (DateTimeParseException e) {
            throw new MappingException(field, "not a timestamp: '" + text + "'");
        }
    }

    /**
     * The form nearly every export uses, {@code yyyy-MM-dd[T| ]HH:mm:ss[.fraction][Z]}, read without the
     * general formatter (which dominates mapping time). Anything else, including dates the formatter would
     * adjust (day 29 to 31, hour 24), returns null and goes through {@link #FORMAT} exactly as before.
     */
    private static Instant plainUtc(String t) {
        int n = t.length();
        if (n < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int end = t.charAt(n - 1) == 'Z' ? n - 1 : n;
        int nanos = 0;
        if (end > 19) {
            int digits = end - 20;
            if (t.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int fraction = digits(t, 20, end);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
    }

    /** The decimal number in {@code t[from, to)}, or -1 when any character there is not an ASCII digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
