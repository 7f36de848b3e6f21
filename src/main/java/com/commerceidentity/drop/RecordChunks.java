package com.commerceidentity.drop;

import com.commerceidentity.model.Surface;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Cuts an input's records into chunks for the ingest split: Camel's per-message work (a new exchange, its
 * headers and properties copied, every step's bookkeeping and metrics) is then paid once per chunk instead of
 * once per record, which was a fifth of the ingest CPU. Chunks are read lazily, so a large file still streams.
 */
public class RecordChunks {
    private final int size;

    public RecordChunks(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("app.ingest.chunk-size must be at least 1 but is " + size);
        }
        this.size = size;
    }

    /**
     * The records of {@code body} (an iterator or iterable of {@link RawRecord}) in chunks of up to the size.
     * A dropped export stops at the next chunk once the service begins to stop, rather than running past the
     * shutdown timeout and being cut off where nobody can tell how far it got (see
     * {@link InputInterruptedException}); sync pages and webhook records are small and finish.
     */
    public Iterator<List<RawRecord>> of(Object body, Exchange exchange) {
        Iterator<?> records = body instanceof Iterator<?> it ? it
                : body instanceof Iterable<?> iterable ? iterable.iterator()
                : List.of().iterator();
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        boolean export = input != null && (input.surface() == Surface.FILE || input.surface() == Surface.HTTP);
        CamelContext context = exchange.getContext();
        return new Chunker(records, size, export ? () -> context.isStopping() || context.isStopped() : () -> false,
                input);
    }

    private static final class Chunker implements Iterator<List<RawRecord>>, Closeable {
        private final Iterator<?> records;
        private final int size;
        private final BooleanSupplier stopping;
        private final DropInput input;
        private long read;
        private boolean interrupted;

        Chunker(Iterator<?> records, int size, BooleanSupplier stopping, DropInput input) {
            this.records = records;
            this.size = size;
            this.stopping = stopping;
            this.input = input;
        }

        @Override
        public boolean hasNext() {
            boolean more = !interrupted && records.hasNext();
            if (more && stopping.getAsBoolean()) {
                // said once: the splitter asks again while it releases the exchange
                interrupted = true;
                throw new InputInterruptedException(input.ref() + ": the service is stopping; stopped after " + read
                        + " records, the rest is read after the restart");
            }
            return more;
        }

        @Override
        public List<RawRecord> next() {
            if (!records.hasNext()) {
                throw new NoSuchElementException();
            }
            List<RawRecord> chunk = new ArrayList<>(size);
            while (chunk.size() < size && records.hasNext()) {
                chunk.add((RawRecord) records.next());
            }
            read += chunk.size();
            return chunk;
        }

        /** The splitter closes what it iterated: pass that on to the file reader underneath. */
        @Override
        public void close() {
            if (records instanceof Closeable c) {
                try {
                    c.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
