package com.commerceidentity.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;

/**
 * Has embedded H2 put each of its writes (chunks) together and place it in the file before it begins the next.
 *
 * <p>Why (H2 2.5.252, {@code FileStore.storeIt} and {@code serializeAndStore}): with a write delay, H2 hands each
 * write to two threads of its own, one that puts it together and one that places it in the file, and the two
 * overlap. A write lists where the earlier ones are, but only those already placed when it was put together; the one
 * before it, still waiting to be placed, is listed by the next. A kill before that next write left a file that H2
 * reopened without a table ("Chunk N not found" while it loads the schema): 1 file in 230 kills of
 * {@code H2KillHarness}, between two checkpoints, where nothing of the app could close it (each checkpoint writes
 * one more small write for that, {@code H2WritesUnderWay}). The app's database would then fail every write to
 * that table until {@code data/db/} is restored from a copy.
 *
 * <p>Without those two threads H2 does both steps on the thread that stores, under its store lock, as it does when
 * the write delay is 0; everything else stays: the background writer still stores every write delay and compacts
 * the file, and commits still return without writing. Only the threads go, not the delay: with
 * {@code WRITE_DELAY=0} every commit writes a chunk of its own, which made WebhookBenchmark's file 3.6 times as
 * large and its rate 14 % lower (docs/feed-format.md).
 */
final class H2WritesOneAtATime {
    private static final Method STOP_WRITE_THREADS;

    static {
        try {
            STOP_WRITE_THREADS = FileStore.class.getDeclaredMethod("shutdownExecutors");
            STOP_WRITE_THREADS.setAccessible(true);
        } catch (NoSuchMethodException e) {
            // Overlapping writes can cost a table in a kill; starting without saying so would hide that.
            throw new ExceptionInInitializerError("embedded database: this H2 version has no " + e.getMessage()
                    + " to write its file one write at a time; run the H2 version the app ships with, or PostgreSQL");
        }
    }

    private H2WritesOneAtATime() {
    }

    /** Once, when the database has opened: H2 starts the two threads only when it opens or its delay changes. */
    static void apply(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            FileStore<?> file = session.getDatabase().getStore().getMvStore().getFileStore();
            if (file == null || file.isReadOnly()) {
                return;
            }
            // Writes already handed to the threads finish first; a store that finds them stopped writes on its own
            // thread (H2's submitOrRun).
            STOP_WRITE_THREADS.invoke(file);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("embedded database: cannot call H2's " + STOP_WRITE_THREADS.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("embedded database: cannot stop H2's write threads: " + e.getCause(), e);
        }
    }
}
