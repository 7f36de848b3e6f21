package com.commerceidentity.drop;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams the records of an export without reading it into memory. Understands a JSON array, NDJSON
 * (one record per line, bad lines reported one by one), concatenated multi-line objects, and the
 * platforms' own list responses: {@code {"customers":[...]}}, {@code {"users":[...]}}, {@code {"items":[...]}},
 * {@code {"data":[...]}}, SCIM {@code {"Resources":[...]}} and GraphQL {@code {"data":{"x":{"edges":[{"node":..}]}}}}.
 */
public class RecordReader {

    /** Re-openable bytes: format detection may need to start over in line mode. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private static final Set<String> LIST_FIELDS = Set.of("customers", "users", "items", "data", "Resources",
            "staffMembers");
    private static final Set<String> CONNECTION_FIELDS = Set.of("edges", "nodes");

    private final ObjectMapper json;
    private final int maxRecordBytes;

    /** @param maxRecordBytes the longest NDJSON line read into memory; longer ones are rejects */
    public RecordReader(ObjectMapper json, int maxRecordBytes) {
        this.json = json;
        this.maxRecordBytes = maxRecordBytes;
    }

    public CloseableIterator<RawRecord> readFile(File file) {
        return read(() -> Files.newInputStream(file.toPath()));
    }

    public CloseableIterator<RawRecord> readBytes(byte[] bytes) {
        return read(() -> new java.io.ByteArrayInputStream(bytes));
    }

    public CloseableIterator<RawRecord> read(Source source) {
        try {
            JsonParser p = json.getFactory().createParser(source.open());
            JsonToken first = token(p);
            if (first == null) {
                p.close();
                return new Empty();
            }
            if (first == JsonToken.START_ARRAY) {
                return new ArrayRecords(p, false);
            }
            if (first != JsonToken.START_OBJECT) {
                p.close();
                throw new RecordFormatException(1, 1, "expected a JSON array, an object or NDJSON records but found "
                        + first, null);
            }
            long startLine = p.currentTokenLocation().getLineNr();
            CloseableIterator<RawRecord> wrapped = openWrapper(p, 0);
            if (wrapped != null) {
                return wrapped;
            }
            long endLine = p.currentTokenLocation().getLineNr();
            p.close();
            if (endLine == startLine) {
                return new LineRecords(new BoundedLines(source.open(), maxRecordBytes));
            }
            JsonParser again = json.getFactory().createParser(source.open());
            return new ConcatenatedRecords(again);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the fields of an object until one holds the list of records; returns null (parser at the end of
     * the object) when the object is itself a record.
     */
    private CloseableIterator<RawRecord> openWrapper(JsonParser p, int depth) throws IOException {
        JsonToken t;
        while ((t = token(p)) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = token(p);
            if (value == JsonToken.START_ARRAY && (depth == 0 ? LIST_FIELDS.contains(name) : CONNECTION_FIELDS.contains(name))) {
                return new ArrayRecords(p, true);
            }
            if (value == JsonToken.START_OBJECT && ((depth == 0 && name.equals("data")) || depth == 1)) {
                CloseableIterator<RawRecord> inner = openWrapper(p, depth + 1);
                if (inner != null) {
                    return inner;
                }
                if (depth == 0) {
                    throw new RecordFormatException(p.currentTokenLocation().getLineNr(), 0,
                            "field 'data' holds no list of records (expected data.<query>.edges or nodes)", null);
                }
                continue;
            }
            p.skipChildren();
        }
        if (t != JsonToken.END_OBJECT) {
            throw new RecordFormatException(p.currentTokenLocation().getLineNr(), 0, "unexpected " + t, null);
        }
        return null;
    }

    private static JsonToken token(JsonParser p) throws IOException {
        try {
            return p.nextToken();
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new RecordFormatException(l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    "malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Iterator that releases its file when the splitter is done with it (or gives up on it). */
    public interface CloseableIterator<T> extends Iterator<T>, Closeable {
        @Override
        void close();
    }

    private static final class Empty implements CloseableIterator<RawRecord> {
        @Override public boolean hasNext() { return false; }
        @Override public RawRecord next() { throw new NoSuchElementException(); }
        @Override public void close() { }
    }

    /** Read-ahead iterator: subclasses produce the next record or null at the end. */
    private abstract static class ReadAhead implements CloseableIterator<RawRecord> {
        private RawRecord ahead;
        private boolean done;

        abstract RawRecord produce() throws IOException;

        @Override
        public boolean hasNext() {
            if (ahead == null && !done) {
                try {
                    ahead = produce();
                } catch (IOException e) {
                    done = true;
                    close();
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    // Report once; the splitter asks again while releasing and must then see the end.
                    done = true;
                    close();
                    throw e;
                }
                if (ahead == null) {
                    done = true;
                    close();
                }
            }
            return ahead != null;
        }

        @Override
        public RawRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RawRecord r = ahead;
            ahead = null;
            return r;
        }
    }

    private final class ArrayRecords extends ReadAhead {
        private final JsonParser p;
        private final boolean unwrapNodes;

        ArrayRecords(JsonParser p, boolean unwrapNodes) {
            this.p = p;
            this.unwrapNodes = unwrapNodes;
        }

        @Override
        RawRecord produce() throws IOException {
            JsonToken t = token(p);
            if (t == JsonToken.END_ARRAY || t == null) {
                if (t == null) {
                    throw new RecordFormatException(p.currentLocation().getLineNr(), p.currentLocation().getColumnNr(),
                            "unexpected end of input inside the list of records (truncated file?)", null);
                }
                return null;
            }
            long line = p.currentTokenLocation().getLineNr();
            JsonNode node = readTree(p);
            if (unwrapNodes && node.isObject() && node.path("node").isObject()) {
                node = node.get("node");
            }
            if (!node.isObject()) {
                return RawRecord.malformed(line, "record is not a JSON object but " + node.getNodeType());
            }
            return RawRecord.ok(line, node);
        }

        @Override
        public void close() {
            closeQuietly(p);
        }
    }

    private final class ConcatenatedRecords extends ReadAhead {
        private final JsonParser p;

        ConcatenatedRecords(JsonParser p) {
            this.p = p;
        }

        @Override
        RawRecord produce() throws IOException {
            JsonToken t = token(p);
            if (t == null) {
                return null;
            }
            long line = p.currentTokenLocation().getLineNr();
            JsonNode node = readTree(p);
            return node.isObject() ? RawRecord.ok(line, node)
                    : RawRecord.malformed(line, "record is not a JSON object but " + node.getNodeType());
        }

        @Override
        public void close() {
            closeQuietly(p);
        }
    }

    private final class LineRecords extends ReadAhead {
        private final BoundedLines in;

        LineRecords(BoundedLines in) {
            this.in = in;
        }

        @Override
        RawRecord produce() throws IOException {
            BoundedLines.Line next;
            while ((next = in.next()) != null) {
                long line = next.number();
                if (next.problem() != null) {
                    return RawRecord.malformed(line, next.problem());
                }
                String text = next.text();
                if (text.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = json.readTree(text);
                    if (node == null || !node.isObject()) {
                        return RawRecord.malformed(line, "line is not a JSON object");
                    }
                    return RawRecord.ok(line, node);
                } catch (JsonProcessingException e) {
                    JsonLocation l = e.getLocation();
                    return RawRecord.malformed(line, "malformed JSON" + (l == null ? "" : " at column " + l.getColumnNr())
                            + ": " + e.getOriginalMessage());
                }
            }
            return null;
        }

        @Override
        public void close() {
            closeQuietly(in);
        }
    }

    private JsonNode readTree(JsonParser p) throws IOException {
        try {
            return json.readTree(p);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new RecordFormatException(l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    "malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do: the records were already read or the error already reported
        }
    }
}
