package com.commerceidentity.model;

/** A record that cannot become an Account; names the offending field so ops can fix the source. */
public class MappingException extends RuntimeException {
    private final String field;

    public MappingException(String field, String reason) {
        super(field == null ? reason : field + ": " + reason);
        this.field = field;
    }

    /** JSON field (dotted path) at fault, or null when the problem is the record as a whole. */
    public String field() {
        return field;
    }

    public String reason() {
        String m = getMessage();
        return field == null ? m : m.substring(field.length() + 2);
    }
}
