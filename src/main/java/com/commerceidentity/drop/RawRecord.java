package com.commerceidentity.drop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record as read from an export, with the line it starts on. A line that is not valid JSON still
 * becomes a RawRecord (with {@code error} set) so it is reported as a reject while its neighbours go on.
 */
public record RawRecord(long line, JsonNode json, String error) {

    public static RawRecord ok(long line, JsonNode json) {
        return new RawRecord(line, json, null);
    }

    public static RawRecord malformed(long line, String error) {
        return new RawRecord(line, null, error);
    }
}
