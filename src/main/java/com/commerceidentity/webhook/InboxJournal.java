package com.commerceidentity.webhook;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import com.commerceidentity.drop.PrivateFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Record of the deliveries the inbox has stored since the embedded database last synced to disk.
 *
 * <p>Why: a 200 promises the delivery survives a crash. H2 only makes a commit durable when it writes a new
 * chunk of every page changed since the last one (graph pages included) and syncs the file; doing that for each
 * group of deliveries was a third of the app's CPU under load. Writing the group's rows here and forcing them is
 * enough for the promise; the database is synced about once a second and the journal then starts over
 * ({@link WebhookGroupCommit}). After a crash, rows found here that the database lost are stored again at
 * start-up. Not used with PostgreSQL, whose commits are durable by themselves.
 *
 * <p>The file is allocated once ({@link #PREALLOCATED_BYTES} of zeros) and written over in place, as databases do
 * with their write-ahead logs: forcing a write into blocks the file already owns changes no file-system metadata,
 * which halves the cost of each force (and spares the file system's journal, which would otherwise flush the
 * database's pending writes along with it). A header holds the generation; starting over only bumps it. Records
 * are {@code [marker][generation][length][CRC-32][payload]}; reading stops at the first that is not of the current
 * generation or fails its checksum — a record cut short by a crash was never forced, so never acknowledged.
 *
 * <p>Records hold raw bodies (names, emails, phones): starting over writes zeros over the rows it ends, and the
 * first start-over after opening zeros the whole file (rows of earlier runs), so a body leaves the journal about a
 * second after the database has it, and an erased person's data is not left in it. The file is 0600.
 */
final class InboxJournal implements AutoCloseable {
    static final int PREALLOCATED_BYTES = 32 << 20;
    private static final int FILE_MAGIC = 0x43494a31; // "CIJ1"
    private static final int RECORD_MARKER = 0x52454331; // "REC1"
    private static final int HEADER_BYTES = 16;
    private static final int RECORD_HEAD_BYTES = 20;

    private final Path file;
    private final FileChannel channel;
    private long generation;
    private long position = HEADER_BYTES;
    /** Until the first start-over, rows of earlier runs (or of an older version that did not zero) may be anywhere. */
    private boolean scrubbedSinceOpen;

    private InboxJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static InboxJournal open(Path file) throws IOException {
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        PrivateFiles.restrict(file);
        InboxJournal journal = new InboxJournal(file, channel);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        journal.readFully(header, 0);
        header.flip();
        if (header.remaining() == HEADER_BYTES && header.getInt() == FILE_MAGIC) {
            header.getInt();
            journal.generation = header.getLong();
        } else {
            journal.preallocate();
        }
        return journal;
    }

    private void preallocate() throws IOException {
        zero(0, PREALLOCATED_BYTES);
        scrubbedSinceOpen = true;
        generation = 1;
        writeHeader();
        channel.force(true);
    }

    private void writeHeader() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(FILE_MAGIC).putInt(1).putLong(generation);
        header.flip();
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
    }

    Path file() {
        return file;
    }

    /** Writes the rows after the last ones and forces them to the device: once this returns they may be acknowledged. */
    void append(List<WebhookGroupCommit.Row> rows) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (WebhookGroupCommit.Row row : rows) {
            byte[] payload = encode(row);
            CRC32 crc = new CRC32();
            crc.update(payload);
            ByteBuffer head = ByteBuffer.allocate(RECORD_HEAD_BYTES).putInt(RECORD_MARKER).putLong(generation)
                    .putInt(payload.length).putInt((int) crc.getValue());
            all.write(head.array());
            all.write(payload);
        }
        ByteBuffer out = ByteBuffer.wrap(all.toByteArray());
        long at = position;
        while (out.hasRemaining()) {
            at += channel.write(out, at);
        }
        channel.force(false);
        position = at;
    }

    /** The rows written since the journal last started over, in order; a torn or older record ends the list. */
    List<WebhookGroupCommit.Row> read() throws IOException {
        List<WebhookGroupCommit.Row> rows = new ArrayList<>();
        ByteBuffer all = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, channel.size()));
        readFully(all, 0);
        all.flip();
        all.position(Math.min(all.limit(), HEADER_BYTES));
        while (all.remaining() >= RECORD_HEAD_BYTES) {
            int start = all.position();
            if (all.getInt() != RECORD_MARKER || all.getLong() != generation) {
                break;
            }
            int length = all.getInt();
            int expected = all.getInt();
            if (length < 0 || length > all.remaining()) {
                break;
            }
            byte[] payload = new byte[length];
            all.get(payload);
            CRC32 crc = new CRC32();
            crc.update(payload);
            if ((int) crc.getValue() != expected) {
                all.position(start);
                break;
            }
            rows.add(decode(payload));
        }
        return rows;
    }

    private void readFully(ByteBuffer into, long from) throws IOException {
        long at = from;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
    }

    /**
     * Every row written so far is durable in the database: the journal starts over (a new generation), and the rows
     * it held are overwritten with zeros.
     */
    void reset() throws IOException {
        generation++;
        writeHeader();
        zero(HEADER_BYTES, scrubbedSinceOpen ? position : Math.max(position, channel.size()));
        scrubbedSinceOpen = true;
        channel.force(false);
        position = HEADER_BYTES;
    }

    private void zero(long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(0, to - from)));
        for (long at = from; at < to; at += zeros.capacity()) {
            zeros.clear();
            zeros.limit((int) Math.min(zeros.capacity(), to - at));
            while (zeros.hasRemaining()) {
                channel.write(zeros, at + zeros.position());
            }
        }
    }

    /** Bytes of rows written since the journal last started over. */
    long size() {
        return position - HEADER_BYTES;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static byte[] encode(WebhookGroupCommit.Row row) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + row.body().length);
        DataOutputStream out = new DataOutputStream(bytes);
        text(out, row.platform());
        text(out, row.store());
        text(out, row.dedupKey());
        text(out, row.topic());
        out.writeLong(row.receivedAt().getEpochSecond());
        out.writeInt(row.receivedAt().getNano());
        out.writeInt(row.body().length);
        out.write(row.body());
        out.flush();
        return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static WebhookGroupCommit.Row decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        String platform = text(in);
        String store = text(in);
        String dedupKey = text(in);
        String topic = text(in);
        Instant receivedAt = Instant.ofEpochSecond(in.getLong(), in.getInt());
        byte[] body = new byte[in.getInt()];
        in.get(body);
        return new WebhookGroupCommit.Row(platform, store, dedupKey, topic, receivedAt, body);
    }

    private static String text(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
