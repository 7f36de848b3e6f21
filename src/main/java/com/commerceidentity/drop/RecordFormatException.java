package com.commerceidentity.drop;

/** The input as a whole cannot be read from this point on (not JSON, truncated array, ...). */
public class RecordFormatException extends RuntimeException {
    private final long line;
    private final long column;

    public RecordFormatException(long line, long column, String message, Throwable cause) {
        super("line " + line + (column > 0 ? ", column " + column : "") + ": " + message, cause);
        this.line = line;
        this.column = column;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }
}
