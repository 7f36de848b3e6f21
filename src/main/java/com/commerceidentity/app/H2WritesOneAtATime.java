package com.commerceidentity.app;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.util.Utils;

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
 * <p>Only the placing thread goes: H2 then places each write on the thread that put it together, right after, under
 * the same lock ({@code submitOrRun} with no executor), so the next write is put together only once the one before
 * it is in the file. Everything else stays: stores still hand their writes to H2's own thread, the background
 * writer still stores every write delay and compacts the file, and commits still return without writing. Stopping
 * both threads closed the fault too, but then whoever stored put the write together itself, most often the graph's
 * one writer thread: DropBenchmark 1,000,000 went from 20,633-21,457 to 15,079-17,642 records/s. And
 * {@code WRITE_DELAY=0}, where every commit writes a chunk of its own, made WebhookBenchmark's file 3.6 times as
 * large and its rate 14 % lower (docs/feed-format.md).
 */
final class H2WritesOneAtATime {
    private static final Field SAVE_THREAD;
    private static final Field SERIALIZATION_LOCK;

    static {
        try {
            SAVE_THREAD = FileStore.class.getDeclaredField("bufferSaveExecutor");
            SAVE_THREAD.setAccessible(true);
            SERIALIZATION_LOCK = FileStore.class.getDeclaredField("serializationLock");
            SERIALIZATION_LOCK.setAccessible(true);
        } catch (NoSuchFieldException e) {
            // Overlapping writes can cost a table in a kill; starting without saying so would hide that.
            throw new ExceptionInInitializerError("embedded database: this H2 version has no " + e.getMessage()
                    + " to write its file one write at a time; run the H2 version the app ships with, or PostgreSQL");
        }
    }

    private H2WritesOneAtATime() {
    }

    /** Once, when the database has opened: H2 starts its threads only when it opens or its delay changes. */
    static void apply(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            FileStore<?> file = session.getDatabase().getStore().getMvStore().getFileStore();
            if (file == null || file.isReadOnly()) {
                return;
            }
            // H2 hands writes to the placing thread only under this lock: none is handed over while it stops, and
            // those already handed over are placed first.
            Lock handOver = (Lock) SERIALIZATION_LOCK.get(file);
            handOver.lock();
            try {
                Utils.shutdownExecutor((ThreadPoolExecutor) SAVE_THREAD.get(file));
                SAVE_THREAD.set(file, null);
            } finally {
                handOver.unlock();
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("embedded database: cannot stop H2's thread that places writes", e);
        }
    }
}
