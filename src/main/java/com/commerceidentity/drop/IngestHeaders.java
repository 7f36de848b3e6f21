package com.commerceidentity.drop;

/** Names shared by the ingest routes and their beans. */
public final class IngestHeaders {
    /** Exchange property holding the {@link DropInput} being ingested. */
    public static final String DROP_INPUT = "dropInput";
    /** Exchange property holding the id of that {@link DropInput}: what the aggregator correlates on. */
    public static final String DROP_INPUT_ID = "dropInputId";
    /** Exchange property: how many records (mapped or rejected) a chunk, or a batch of chunks, covers. */
    public static final String RECORDS = "ingestRecords";
    /**
     * Exchange property: how many observations a batch holds so far, what closes it at {@code app.batch.size}.
     * A count kept by the batcher, because {@code ${body.size}} in the route makes Camel look the body's bean
     * info up by the list itself, hashing every account in it each time a chunk arrives.
     */
    public static final String BATCHED = "batchedObservations";
    /** Header: the platform id of the current input, for content-based routing in the routes. */
    public static final String PLATFORM = "platform";

    private IngestHeaders() {
    }
}
