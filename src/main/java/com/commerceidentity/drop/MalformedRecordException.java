package com.commerceidentity.drop;

import com.commerceidentity.model.MappingException;

/** A record whose bytes are not a JSON object: reported like a mapping failure, counted as malformed. */
public class MalformedRecordException extends MappingException {
    public MalformedRecordException(String reason) {
        super(null, reason);
    }
}
