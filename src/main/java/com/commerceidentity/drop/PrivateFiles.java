package com.commerceidentity.drop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and folders the app writes hold personal data (rejects quote records, error reports name people):
 * readable by the service's own user only, 0600 and 0700, whatever the umask.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // created by another thread meanwhile
        }
        return dir;
    }

    /**
     * A folder the app owns, made 0700 whether it is new or was there before: whatever lies under it (database
     * pages, feed files, export copies moved in by the file component with their own modes) is then out of other
     * users' reach.
     */
    public static Path ownFolder(Path dir) throws IOException {
        createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    public static void writeString(Path file, String text) throws IOException {
        // Written aside and moved in: whoever sees the file (ops, a test, a tool watching .error/) sees all of it,
        // and already 0600.
        Path aside = file.resolveSibling("." + file.getFileName() + ".writing");
        Files.writeString(aside, text, StandardCharsets.UTF_8);
        restrict(aside);
        Files.move(aside, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Owner read/write only. */
    public static void restrict(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
        }
    }
}
