package com.commerceidentity.drop;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines of at most {@code maxBytes} each, never holding more than that in memory: a longer line is
 * skipped up to its end and reported, so one oversized record (a 200 MB line) costs a reject, not the heap.
 * Decoding is strict: a byte that is not UTF-8 (a Latin-1 export) is reported instead of becoming U+FFFD in
 * someone's name. A byte-order mark before the first line is dropped.
 */
final class BoundedLines implements Closeable {

    /** One line: its text, or why it has none. */
    record Line(long number, String text, String problem) {
    }

    private final InputStream in;
    private final int maxBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[64 * 1024];
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int position;
    private int limit;
    private long number;
    private boolean ended;

    BoundedLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        if (ended) {
            return null;
        }
        current.reset();
        long length = 0;
        boolean sawAny = false;
        while (true) {
            if (position == limit && !fill()) {
                ended = true;
                if (!sawAny) {
                    return null;
                }
                break;
            }
            sawAny = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int chunk = position - start;
            if (length + chunk <= maxBytes) {
                current.write(buffer, start, chunk);
            }
            length += chunk;
            if (position < limit) {
                position++; // the newline
                break;
            }
        }
        number++;
        if (length > maxBytes) {
            return new Line(number, null, "line of " + length + " bytes exceeds the record limit of " + maxBytes
                    + " bytes (app.drop.max-record-bytes); skipped");
        }
        byte[] bytes = current.toByteArray();
        int from = number == 1 && startsWithBom(bytes) ? 3 : 0;
        int to = bytes.length > from && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return new Line(number, utf8.decode(ByteBuffer.wrap(bytes, from, to - from)).toString(), null);
        } catch (MalformedInputException e) {
            return new Line(number, null, notUtf8(bytes, from, to));
        } catch (CharacterCodingException e) {
            return new Line(number, null, "not valid UTF-8: " + e.getMessage());
        }
    }

    private static String notUtf8(byte[] bytes, int from, int to) {
        CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(to - from + 1);
        probe.decode(in, out, true);
        int at = in.position();
        return String.format("not valid UTF-8: byte 0x%02X at byte %d of the line (the export looks like Latin-1 or"
                + " Windows-1252; save it as UTF-8)", bytes[at] & 0xFF, at - from + 1);
    }

    private static boolean startsWithBom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
