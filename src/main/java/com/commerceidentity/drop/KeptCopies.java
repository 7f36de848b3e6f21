package com.commerceidentity.drop;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of exports the app keeps once it has read them (inbox/.done/, inbox/.error/ and the rejects under
 * the data directory) hold the people's names, emails and phones as they were handed in, out of reach of an
 * erasure: each is deleted once older than the retention ({@code app.inbox.done-retention-days}), so no copy
 * outlives it. Links are deleted as links, never followed.
 */
public class KeptCopies {
    private static final Logger LOG = LoggerFactory.getLogger(KeptCopies.class);
    private final List<Path> roots;
    private final Duration retention;
    private final Clock clock;

    public KeptCopies(List<Path> roots, Duration retention, Clock clock) {
        this.roots = roots;
        this.retention = retention;
        this.clock = clock;
    }

    /** Deletes kept files last modified before the retention, and the folders that leaves empty. */
    public int purge() throws IOException {
        Instant cutoff = clock.instant().minus(retention);
        int[] deleted = {0};
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(file);
                        deleted[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (!dir.equals(root)) {
                        try (var left = Files.list(dir)) {
                            if (left.findAny().isEmpty()) {
                                Files.deleteIfExists(dir);
                            }
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        if (deleted[0] > 0) {
            LOG.info("deleted {} kept export copies older than {} days from {}", deleted[0], retention.toDays(), roots);
        }
        return deleted[0];
    }
}
