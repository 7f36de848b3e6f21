package com.commerceidentity.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A mark beside the embedded database file while the app has it open, removed once the pool has closed at a clean
 * stop. Found at a start, it says the last stop was not clean (a kill, a power cut): the database is then rebuilt
 * from its rows before anything reads it ({@link H2Migrations}).
 */
final class InUseMark implements AutoCloseable {
    private final Path mark;

    InUseMark(Path mark) {
        this.mark = mark;
    }

    /** Beside an H2 database file; null for a database in memory or elsewhere. */
    static Path of(String url) {
        return Database.besideH2File(url, ".in-use");
    }

    /** True when the app had the database open and did not stop cleanly. */
    boolean leftByUncleanStop() {
        return mark != null && Files.exists(mark);
    }

    void set() throws IOException {
        if (mark != null) {
            Files.createDirectories(mark.getParent());
            Files.writeString(mark, "the app has this database open; a start that finds this file rebuilds it\n");
        }
    }

    /** After the pool has closed (ClosingService keeps the order). */
    @Override
    public void close() throws IOException {
        if (mark != null) {
            Files.deleteIfExists(mark);
        }
    }
}
