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
}
