package com.commerceidentity.drop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets aside what the inbox must not read, each with an {@code .error.txt} under {@code .error/} that says why.
 * <ul>
 * <li>Symbolic links (to files or folders): following one read {@code /etc/passwd} into the log and moved
 * files out of a linked folder. The link itself is moved; its target is never opened.</li>
 * <li>Hidden files ({@code .x.json}): the file component skips names starting with a dot, so such a file sat
 * there forever without a word. Tools write temporary files under hidden names (rsync) and rename them, so only
 * one left unchanged for the grace period is moved.</li>
 * </ul>
 * Links are caught by the file component's filter (called for folders too, before it descends into them);
 * hidden files, which never reach that filter, by a look at the inbox when each poll begins.
 */
public class InboxGuard implements GenericFileFilter<File>, PollingConsumerPollStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(InboxGuard.class);

    private final Path inbox;
    private final Path errorDir;
    private final Duration hiddenGrace;
    private final Clock clock;
    private final InboxRetries retries;

    public InboxGuard(Path inbox, Path errorDir, Duration hiddenGrace, Clock clock, InboxRetries retries) {
        this.inbox = inbox;
        this.errorDir = errorDir;
        this.hiddenGrace = hiddenGrace;
        this.clock = clock;
        this.retries = retries;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        Path path = file.getFile().toPath();
        if (Files.isSymbolicLink(path)) {
            setAside(path, "a symbolic link: the inbox reads only files that are in it, never what a link points to;"
                    + " copy the export itself into the inbox");
            return false;
        }
        // the database failed its last read: it waits in the inbox until its retry is due (InboxRetries)
        return !retries.held(inbox.relativize(path).toString().replace('\\', '/'));
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        setAsideHiddenFiles();
        return true;
    }

    /** Inbox layout is platform/store/file: hidden names at any of those levels, except our own folders. */
    void setAsideHiddenFiles() {
        if (!Files.isDirectory(inbox)) {
            return;
        }
        List<Path> hidden;
        try (Stream<Path> walk = Files.walk(inbox, 3)) {
            hidden = walk.filter(p -> !p.equals(inbox) && !p.startsWith(errorDir) && !p.startsWith(inbox.resolve(".done")))
                    .filter(p -> p.getFileName().toString().startsWith("."))
                    .filter(this::unchangedForGrace)
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("cannot look for hidden files in {}: {}", inbox, e.getMessage());
            return;
        }
        for (Path p : hidden) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                setAside(p, "a hidden file (its name starts with '.'), which the inbox does not read; rename it"
                        + " without the leading dot to ingest it");
            }
        }
    }

    private boolean unchangedForGrace(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant()
                    .isBefore(clock.instant().minus(hiddenGrace));
        } catch (IOException e) {
            return false; // gone meanwhile (renamed by the tool that wrote it)
        }
    }

    private void setAside(Path path, String reason) {
        String relative = inbox.relativize(path).toString().replace('\\', '/');
        Path moved = errorDir.resolve(relative);
        try {
            PrivateFiles.createDirectories(moved.getParent());
            PrivateFiles.writeString(errorDir.resolve(relative + ".error.txt"),
                    "file: " + relative + "\nerror: " + reason + "\n");
            Files.move(path, moved, StandardCopyOption.REPLACE_EXISTING);
            LOG.error("{}: not read: {} (moved to {})", relative, reason, moved);
        } catch (IOException e) {
            LOG.error("{}: not read: {}; moving it to {} failed: {}", relative, reason, moved, e.getMessage());
        }
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        // nothing to do after a poll
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        return false;
    }
}
