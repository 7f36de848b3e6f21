package com.commerceidentity.drop;

/** Names shared by the ingest routes and their beans. */
public final class IngestHeaders {
    /** Exchange property holding the {@link DropInput} being ingested. */
    public static final String DROP_INPUT = "dropInput";
    /** Exchange property holding the id of that {@link DropInput}: what the aggregator correlates on. */
    public static final String DROP_INPUT_ID = "dropInputId";
    /** Exchange property: how many records (mapped or rejected) a chunk, or a batch of chunks, covers. */
    public static final String RECORDS = "ingestRecords";
    /** Header: the platform id of the current input, for content-based routing in the routes. */
    public static final String PLATFORM = "platform";

    private IngestHeaders() {
    }
}
