package com.commerceidentity.graph;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;

/**
 * Waits until the file writes embedded H2 has already started on its own threads are in the file.
 *
 * <p>Why: {@code CHECKPOINT} commits H2's store ({@code MVStore.commit()}), but that does nothing when a store begun
 * elsewhere has taken the changes first: H2's background writer, or a writer whose changes outgrew the write buffer,
 * starts one, and hands its writing to H2's serialization and save threads without waiting. That store holds our
 * commit, yet reaches the file after {@code CHECKPOINT} (even {@code CHECKPOINT SYNC}) has returned; a process killed
 * then loses a commit we had vouched for (CommitsToFileTest; CI's DropCrashIT once found a served batch of 1,000
 * events missing from the restarted database, and the feed skipping its seqs). Both threads take their work in
 * order, so a task queued behind each returns once the writes before it are done (H2's own
 * {@code executeFileStoreOperation}).
 */
final class H2WritesUnderWay {
    private H2WritesUnderWay() {
    }

    static void await(Connection c) throws SQLException {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        FileStore<?> file = session.getDatabase().getStore().getMvStore().getFileStore();
        if (file != null) {
            file.executeFileStoreOperation(() -> { });
        }
    }
}
