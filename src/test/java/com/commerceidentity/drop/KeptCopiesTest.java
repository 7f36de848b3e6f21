package com.commerceidentity.drop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies of exports kept after reading are personal data out of an erasure's reach: they go after the retention. */
class KeptCopiesTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path dir;

    private Path file(String relative, Duration age) throws Exception {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"email\":\"kept@example.org\"}\n");
        Files.setLastModifiedTime(f, FileTime.from(NOW.minus(age)));
        return f;
    }

    @Test
    void copiesOlderThanTheRetentionAreDeletedAndNewerOnesAndTheInboxItselfAreLeft() throws Exception {
        Path oldDone = file("inbox/.done/shopify/eu/customers.json", Duration.ofDays(8));
        Path oldError = file("inbox/.error/shopify/eu/bad.json.error.txt", Duration.ofDays(8));
        Path oldRejects = file("data/rejects/http/shopify/eu/x.rejects.ndjson", Duration.ofDays(30));
        Path recentDone = file("inbox/.done/bigcommerce/us/customers.ndjson", Duration.ofDays(6));
        Path waiting = file("inbox/shopify/eu/waiting.json", Duration.ofDays(40));
        KeptCopies copies = new KeptCopies(List.of(dir.resolve("inbox/.done"), dir.resolve("inbox/.error"),
                dir.resolve("data/rejects")), Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(copies.purge()).isEqualTo(3);

        assertThat(oldDone).doesNotExist();
        assertThat(oldError).doesNotExist();
        assertThat(oldRejects).doesNotExist();
        assertThat(dir.resolve("inbox/.done/shopify")).as("emptied folders go too").doesNotExist();
        assertThat(dir.resolve("inbox/.done")).as("the roots stay").isDirectory();
        assertThat(recentDone).exists();
        assertThat(waiting).as("a file not yet read is not a kept copy").exists();
    }
}
