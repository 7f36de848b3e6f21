package com.commerceidentity.drop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rejected records to an NDJSON file per input (line, where it was read when the input says more, field,
 * reason, and the record itself when it was readable), opened on the first reject so clean inputs leave no empty files behind.
 */
public class RejectLog {
    private static final Logger LOG = LoggerFactory.getLogger(RejectLog.class);

    private final ObjectMapper json;
    private final Map<String, BufferedWriter> open = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.LongAdder> byStore = new ConcurrentHashMap<>();
    private final java.util.Deque<Map<String, Object>> recent = new java.util.ArrayDeque<>();

    /** How many of the latest rejects {@link #recent()} keeps. */
    static final int RECENT = 20;

    public RejectLog(ObjectMapper json) {
        this.json = json;
    }

    /** Records rejected since start-up, per store (metrics). */
    public long rejected(String store) {
        java.util.concurrent.atomic.LongAdder n = byStore.get(store);
        return n == null ? 0 : n.sum();
    }

    /** The latest rejects, newest first: where, which line and why; never the record (personal data). */
    public List<Map<String, Object>> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public void write(DropInput input, DropInput.Reject reject, Object record) {
        byStore.computeIfAbsent(input.store(), s -> new java.util.concurrent.atomic.LongAdder()).increment();
        Map<String, Object> seen = new java.util.LinkedHashMap<>();
        seen.put("at", java.time.Instant.now().toString());
        seen.put("store", input.store());
        seen.put("input", input.ref());
        seen.put("line", reject.line());
        seen.put("reason", reject.reason());
        synchronized (recent) {
            recent.addFirst(seen);
            if (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        ObjectNode line = json.createObjectNode();
        line.put("input", input.ref());
        line.put("line", reject.line());
        reject.where().forEach((k, v) -> line.set(k, json.valueToTree(v)));
        if (reject.field() != null) {
            line.put("field", reject.field());
        }
        line.put("reason", reject.reason());
        if (record != null) {
            line.set("record", json.valueToTree(record));
        }
        try {
            BufferedWriter w = open.computeIfAbsent(input.id(), id -> openWriter(input.rejectsFile()));
            synchronized (w) {
                w.write(json.writeValueAsString(line));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rejects to " + input.rejectsFile(), e);
        }
    }

    /** Closes the input's rejects file, if it has one, and says where it is. */
    public void close(DropInput input) {
        BufferedWriter w = open.remove(input.id());
        if (w == null) {
            return;
        }
        try {
            w.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close rejects file " + input.rejectsFile(), e);
        }
        LOG.warn("{}: {} record(s) rejected, see {}", input.ref(), input.rejectedCount(), input.rejectsFile());
    }

    private static BufferedWriter openWriter(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create rejects file " + file, e);
        }
    }
}
