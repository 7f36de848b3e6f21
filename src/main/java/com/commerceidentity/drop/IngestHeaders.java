package com.commerceidentity.drop;

/** Names shared by the ingest routes and their beans. */
public final class IngestHeaders {
    /** Exchange property holding the {@link DropInput} being ingested. */
    public static final String DROP_INPUT = "dropInput";
    /** Header: the line the current record starts on. */
    public static final String RECORD_LINE = "recordLine";
    /** Header: the platform id of the current input, for content-based routing in the routes. */
    public static final String PLATFORM = "platform";

    private IngestHeaders() {
    }
}
