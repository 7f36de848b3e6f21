package com.commerceidentity.app;

import com.commerceidentity.drop.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erased personal data leaves the embedded database file at the next stop. H2 writes changes to new pages and
 * leaves the old ones in the file until it happens to reuse them, so an erased email stayed readable in the file
 * (issue #19). So an erasure first leaves a mark beside the file ({@code <name>.erased-not-compacted}), and
 * stopping the app runs {@code SHUTDOWN COMPACT} while the mark is there: H2 rewrites the live data into a new
 * file and the old one, stale pages and all, is gone. The mark is made before the erasure commits and removed only
 * once the compaction is done, so a kill at any point leaves it for the next stop. Compacting takes time in
 * proportion to the file, which is why only a stop after an erasure pays for it. PostgreSQL: see docs/security.md.
 */
final class ErasedPages implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ErasedPages.class);
    private final DataSource db;
    /** Null: not an embedded database file. */
    private final Path mark;

    ErasedPages(String url, DataSource db) {
        this.db = db;
        this.mark = mark(url);
    }

    static Path mark(String url) {
        return Database.besideH2File(url, ".erased-not-compacted");
    }

    /** Before an erasure commits. */
    void erasing() {
        if (mark != null && !Files.exists(mark)) {
            try {
                PrivateFiles.writeString(mark, "personal data was erased; the file is compacted at the next stop\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot mark " + mark + " for compaction after an erasure", e);
            }
        }
    }

    boolean pending() {
        return mark != null && Files.exists(mark);
    }

    /** At stop, before the pool closes: compacts the file when an erasure marked it. */
    @Override
    public void close() throws SQLException, IOException {
        if (!pending()) {
            return;
        }
        LOG.info("shutting down: compacting the embedded database, so that erased personal data leaves the file");
        long started = System.nanoTime();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            // the mark stays: the next stop tries again; the pool and what follows still close
            LOG.warn("the embedded database could not be compacted ({}); erased personal data may remain in {}"
                    + " until a later stop compacts it", e.getMessage(), mark.getParent());
            return;
        }
        Files.deleteIfExists(mark);
        LOG.info("embedded database compacted in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}
