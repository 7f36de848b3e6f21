package com.commerceidentity.feed;

import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.graph.IdentityGraph;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the feed as NDJSON files {@code feed-<first seq>.ndjson} (zero-padded, so names sort in feed
 * order), rolled by size and by age.
 *
 * <p>The database is the source of truth: the files are always a gap-free prefix of it. A batch that
 * arrives ahead of its predecessor (two inputs committing concurrently) first pulls the missing events from
 * the database, and a late duplicate is skipped; at start-up the files catch up with whatever was committed
 * but not yet written before a crash, and a torn last line is cut off.
 */
public class FeedFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedFiles.class);
    private static final int CATCH_UP_PAGE = 5_000;
    private static final Pattern FILE_NAME = Pattern.compile("feed-(\\d{20})\\.ndjson");

    private final Path dir;
    private final long rollBytes;
    private final Duration rollAge;
    private final Clock clock;
    private final FeedEventLog eventLog;
    private final ObjectMapper json;

    private OutputStream out;
    private Path current;
    private long currentBytes;
    private Instant openedAt;
    private long lastSeq;
    /** An append failed part-way: the last line may be torn and lastSeq wrong until recovered from the files. */
    private boolean broken;
    private boolean closed;
    /** Committed events handed to {@link #append} that are past the served head, by seq. */
    private final TreeMap<Long, FeedEvent> waiting = new TreeMap<>();
    private static final int WAITING_MAX = 100_000;

    public FeedFiles(Path dir, long rollBytes, Duration rollAge, Clock clock, FeedEventLog eventLog, ObjectMapper json)
            throws IOException, SQLException {
        this.dir = dir;
        this.rollBytes = rollBytes;
        this.rollAge = rollAge;
        this.clock = clock;
        this.eventLog = eventLog;
        this.json = json;
        Files.createDirectories(dir);
        this.lastSeq = recoverLastSeq();
        catchUp();
        eventLog.onPublished(seq -> served());
    }

    public Path dir() {
        return dir;
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    /**
     * Writes committed events in sequence order once they are served, and returns them for the next route
     * step. Events past the served head (their checkpoint is still being written, see
     * {@link FeedEventLog#committed}) wait here and are written when the head moves. The events are
     * committed already, so a failure here is logged, never thrown: the caller must not report committed work
     * as failed. The files catch up from the database at the next append or housekeeping tick.
     */
    public synchronized List<FeedEvent> append(List<FeedEvent> events) {
        if (events == null || events.isEmpty()) {
            return events;
        }
        try {
            recoverIfBroken();
            for (FeedEvent e : events) {
                if (e.seq() > lastSeq) {
                    waiting.put(e.seq(), e);
                }
            }
            if (waiting.size() > WAITING_MAX) {
                // the served head is far behind (checkpoints failing): the database keeps them, catch-up writes them
                waiting.clear();
            }
            writeServed();
        } catch (IOException | SQLException | RuntimeException e) {
            failed(e);
        }
        return events;
    }

    /** The served head moved: write the events that were waiting for it. */
    private synchronized void served() {
        if (closed) {
            return;
        }
        try {
            recoverIfBroken();
            writeServed();
        } catch (IOException | SQLException | RuntimeException e) {
            failed(e);
        }
    }

    private void writeServed() throws IOException, SQLException {
        long head = eventLog.publishedSeq();
        boolean wrote = false;
        while (!waiting.isEmpty()) {
            long seq = waiting.firstKey();
            if (seq <= lastSeq) {
                waiting.pollFirstEntry(); // written by a catch-up already
            } else if (seq > head) {
                break;
            } else if (seq == lastSeq + 1) {
                write(waiting.pollFirstEntry().getValue());
                wrote = true;
            } else {
                // another input's batch before this one is served but not handed here (yet): the database has it
                catchUp();
                if (lastSeq < seq) {
                    break;
                }
            }
        }
        if (wrote) {
            out.flush();
        }
    }

    /** Writes every published event the files lack (the housekeeping timer: after a failed append, a quiet feed). */
    public synchronized void catchUpPublished() {
        try {
            recoverIfBroken();
            catchUp();
            writeServed();
        } catch (IOException | SQLException | RuntimeException e) {
            failed(e);
        }
    }

    private void recoverIfBroken() throws IOException {
        if (broken) {
            try {
                closeCurrent();
            } catch (IOException ignored) {
                // the stream was already failing; what reached the file is read back below
                out = null;
            }
            lastSeq = recoverLastSeq();
            broken = false;
        }
    }

    private void failed(Exception e) {
        broken = true;
        LOG.error("feed files stopped at seq {} ({}); they catch up from the database at the next append", lastSeq,
                e.toString());
    }

    /**
     * Publishes an erasure: lines already written that showed the erased data are rewritten from the
     * scrubbed documents first, then the erasure's own events are appended. If the process dies in between,
     * start-up catch-up meets the unwritten {@code account.erased} event and rewrites the lines again from
     * the database, which committed both together.
     */
    public synchronized void erase(IdentityGraph.Erasure erasure) throws IOException, SQLException {
        rewrite(erasure.scrubbed());
        append(erasure.events());
    }

    /** Called on a timer (see routes/feed-housekeeping.xml) so a quiet feed still rolls by age. */
    public synchronized void rollIfDue() throws IOException {
        if (out != null && currentBytes > 0 && Duration.between(openedAt, clock.instant()).compareTo(rollAge) >= 0) {
            closeCurrent();
        }
    }

    private void catchUp() throws SQLException, IOException {
        long before = lastSeq;
        Set<String> erasedKeys = new HashSet<>();
        try {
            // eventsAfter stops at the published head: nothing that a killed process could lose is written
            eventLog.forEachEventAfter(lastSeq, CATCH_UP_PAGE, page -> {
                try {
                    for (FeedEvent e : page) {
                        write(e);
                        if (FeedEvent.ACCOUNT_ERASED.equals(e.type())) {
                            erasedKeys.add(e.accountKey());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (out != null) {
            out.flush();
        }
        if (lastSeq > before + 1 || (before == 0 && lastSeq > 0)) {
            LOG.info("feed files caught up from seq {} to {}", before, lastSeq);
        }
        if (!erasedKeys.isEmpty()) {
            try (Connection c = eventLog.connection()) {
                rewrite(eventLog.eventsShowing(c, erasedKeys, before + 1));
            }
        }
    }

    /**
     * Replaces the lines of the given events in the files already written, each affected file rewritten
     * beside itself and moved over the original. The open file is closed first; the next event starts a
     * new one. Readers holding an old file open keep reading the old contents until they reopen it.
     */
    private void rewrite(List<FeedEvent> changed) throws IOException {
        if (changed.isEmpty()) {
            return;
        }
        Map<Long, String> bySeq = new HashMap<>();
        changed.forEach(e -> bySeq.put(e.seq(), e.json()));
        closeCurrent();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        int replaced = 0;
        for (int i = 0; i < files.size(); i++) {
            long first = firstSeq(files.get(i));
            long next = i + 1 < files.size() ? firstSeq(files.get(i + 1)) : Long.MAX_VALUE;
            if (bySeq.keySet().stream().anyMatch(seq -> seq >= first && seq < next)) {
                replaced += rewriteFile(files.get(i), bySeq);
            }
        }
        LOG.info("feed files: {} earlier event lines rewritten without erased personal data", replaced);
    }

    private int rewriteFile(Path file, Map<Long, String> bySeq) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".rewrite.tmp");
        int replaced = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String replacement = bySeq.get(json.readTree(line).path("seq").asLong());
                if (replacement != null) {
                    replaced++;
                }
                w.write(replacement != null ? replacement : line);
                w.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return replaced;
    }

    private static long firstSeq(Path file) {
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + " is not a feed file");
        }
        return Long.parseLong(m.group(1));
    }

    private void write(FeedEvent e) throws IOException {
        if (out == null || currentBytes >= rollBytes
                || Duration.between(openedAt, clock.instant()).compareTo(rollAge) >= 0) {
            closeCurrent();
            current = dir.resolve(String.format("feed-%020d.ndjson", e.seq()));
            out = new BufferedOutputStream(Files.newOutputStream(current, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), 1 << 16);
            currentBytes = Files.size(current);
            openedAt = clock.instant();
        }
        out.write(e.utf8());
        out.write('\n');
        currentBytes += e.utf8().length + 1L;
        lastSeq = e.seq();
    }

    private void closeCurrent() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    /** Reads the newest file's last complete line; cuts off a line torn by a crash. */
    private long recoverLastSeq() throws IOException {
        Path newest;
        try (Stream<Path> files = Files.list(dir)) {
            newest = files.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
                    .max(Path::compareTo).orElse(null);
        }
        if (newest == null) {
            return 0;
        }
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            long end = f.length();
            long pos = end - 1;
            while (pos >= 0) {
                f.seek(pos);
                if (f.read() == '\n') {
                    break;
                }
                pos--;
            }
            if (pos < end - 1) {
                LOG.warn("{}: cutting off a torn last line of {} bytes (left by a crash)", newest, end - 1 - pos);
                f.setLength(pos + 1);
            }
            if (pos < 0) {
                Files.delete(newest);
                return recoverLastSeq();
            }
            long start = pos - 1;
            while (start >= 0) {
                f.seek(start);
                if (f.read() == '\n') {
                    break;
                }
                start--;
            }
            byte[] line = new byte[(int) (pos - start - 1)];
            f.seek(start + 1);
            f.readFully(line);
            return json.readTree(line).path("seq").asLong();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        closeCurrent();
    }
}
