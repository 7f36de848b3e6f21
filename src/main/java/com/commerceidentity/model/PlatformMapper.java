package com.commerceidentity.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one platform's JSON record (customer or staff user) into a canonical Account. One per platform. */
public interface PlatformMapper {

    Platform platform();

    /**
     * @param store    the configured store id (becomes part of the account key)
     * @param kindHint the kind when the caller knows it (a surface that only returns staff), or null to
     *                 recognise it from the record's shape
     * @param record   the record exactly as the platform returned it
     * @param surface  where it came from
     * @throws MappingException naming the field when the record cannot be mapped
     */
    Account map(String store, Kind kindHint, JsonNode record, Surface surface);
}
