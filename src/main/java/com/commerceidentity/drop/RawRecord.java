package com.commerceidentity.drop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record as read from an export, with the line it starts on. A line that is not valid JSON still
 * becomes a RawRecord (with {@code error} set) so it is reported as a reject while its neighbours go on; a
 * record its reader already found unusable (a synced record whose id or update time cannot be read) carries
 * that reject in {@code rejectedAs} and goes to the rejects the same way, with its JSON.
 */
public record RawRecord(long line, JsonNode json, String error, DropInput.Reject rejectedAs) {

    public static RawRecord ok(long line, JsonNode json) {
        return new RawRecord(line, json, null, null);
    }

    public static RawRecord malformed(long line, String error) {
        return new RawRecord(line, null, error, null);
    }

    /** A readable record that is nevertheless a reject, for the reason given. */
    public static RawRecord rejected(JsonNode json, DropInput.Reject reject) {
        return new RawRecord(reject.line(), json, null, reject);
    }
}
