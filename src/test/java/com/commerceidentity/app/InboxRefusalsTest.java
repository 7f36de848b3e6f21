package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the inbox will not read is moved to .error/ with a reason, and never holds up the files after it. */
class InboxRefusalsTest {
    @TempDir
    static Path dir;
    static AppHarness app;

    @BeforeAll
    static void start() throws Exception {
        app = new AppHarness(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Path awaitFile(Path p) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(p, LinkOption.NOFOLLOW_LINKS));
        return p;
    }

    private static Path inboxFolder(String relative) throws Exception {
        return Files.createDirectories(app.inbox().resolve(relative));
    }

    @Test
    void anEmptyFileMovesToErrorSayingItIsEmpty() throws Exception {
        Files.createFile(inboxFolder("shopify/empty").resolve("customers.json"));
        Path why = awaitFile(app.inbox().resolve(".error/shopify/empty/customers.json.error.txt"));
        assertThat(awaitFile(app.inbox().resolve(".error/shopify/empty/customers.json"))).isEmptyFile();
        assertThat(Files.readString(why)).contains("empty (0 bytes)");
    }

    @Test
    void aLinkToAFileOutsideTheInboxIsSetAsideUnread() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.ndjson"),
                "{\"id\":1,\"email\":\"never.read@example.io\"}\n", StandardCharsets.UTF_8);
        Files.createSymbolicLink(inboxFolder("shopify/linked").resolve("customers.ndjson"), secret);

        Path why = awaitFile(app.inbox().resolve(".error/shopify/linked/customers.ndjson.error.txt"));
        assertThat(Files.readString(why)).contains("symbolic link").doesNotContain("never.read");
        assertThat(Files.isSymbolicLink(app.inbox().resolve(".error/shopify/linked/customers.ndjson"))).isTrue();
        assertThat(secret).exists();
        assertThat(app.getJson("/identities?email=never.read@example.io").get("identities")).isEmpty();
    }

    @Test
    void aLinkedFolderIsSetAsideAndItsFilesStayWhereTheyAre() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        Path export = Files.writeString(outside.resolve("customers.ndjson"),
                "{\"id\":2,\"email\":\"outside@example.io\"}\n", StandardCharsets.UTF_8);
        Files.createSymbolicLink(inboxFolder("bigcommerce").resolve("shop-link"), outside);

        Path why = awaitFile(app.inbox().resolve(".error/bigcommerce/shop-link.error.txt"));
        assertThat(Files.readString(why)).contains("symbolic link");
        assertThat(export).exists();
        assertThat(app.inbox().resolve(".done/bigcommerce/shop-link/customers.ndjson")).doesNotExist();
    }

    @Test
    void aHiddenFileLeftBehindIsReportedInsteadOfIgnoredForever() throws Exception {
        Path hidden = Files.writeString(inboxFolder("shopify/eu").resolve(".customers.json"), "[]", StandardCharsets.UTF_8);
        // unchanged for longer than app.inbox.hidden-grace-seconds: not a transfer still being written
        Files.setLastModifiedTime(hidden, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        Path why = awaitFile(app.inbox().resolve(".error/shopify/eu/.customers.json.error.txt"));
        assertThat(Files.readString(why)).contains("hidden file").contains("rename it");
        assertThat(hidden).doesNotExist();
    }

    @Test
    void reportsAreReadableByTheServiceUserOnly() throws Exception {
        Files.createFile(inboxFolder("shopify/perm").resolve("customers.json"));
        Path why = awaitFile(app.inbox().resolve(".error/shopify/perm/customers.json.error.txt"));
        assertThat(Files.getPosixFilePermissions(why))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(app.inbox().resolve(".error/shopify/perm")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
}
