package com.commerceidentity.graph;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.Chunk;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Waits until the file writes embedded H2 has already started on its own threads are in the file, and leaves the
 * file so that H2, reopening it after a kill, finds the newest of them whole.
 *
 * <p>Why the wait: {@code CHECKPOINT} commits H2's store ({@code MVStore.commit()}), but that does nothing when a
 * store begun elsewhere has taken the changes first: H2's background writer, or a writer whose changes outgrew the
 * write buffer, starts one, and hands its writing to H2's serialization and save threads without waiting. That store
 * holds our commit, yet reaches the file after {@code CHECKPOINT} (even {@code CHECKPOINT SYNC}) has returned; a
 * process killed then loses a commit we had vouched for (CommitsToFileTest; CI's DropCrashIT once found a served
 * batch of 1,000 events missing from the restarted database, and the feed skipping its seqs). Both threads take
 * their work in order, so a task queued behind each returns once the writes before it are done (H2's own
 * {@code executeFileStoreOperation}).
 *
 * <p>Why one more write now and then (H2 2.5.252, {@code FileStore.serializeToBuffer}): a write (chunk) lists where
 * the earlier ones are, but it can list only those already placed in the file when it was put together. The two
 * threads overlap, so a write put together while the one before was still waiting to be placed does not list that
 * one; H2 lists it in the next write. Until that next write, the newest write in the file names a table page in a
 * write it does not list: reopened after a kill, H2 drops the table ("Chunk N not found" while it loads the schema).
 * A harness copying the file between H2's writes found 7 such copies in 1,931 (docs/feed-format.md); when the newest
 * write lacks an earlier one, a small write of H2's file layout follows before we vouch. The app now stops the
 * placing thread when it opens the database ({@code H2WritesOneAtATime}, since a kill between checkpoints met the
 * same fault), so this finds nothing to do there; it stays for a database whose threads run again ({@code SET
 * WRITE_DELAY} starts them).
 *
 * <p>Why the header (H2 2.5.252, {@code RandomAccessStore.readStoreHeader} and {@code writeChunk}): after a kill, H2
 * finds its newest write by starting at the one the file header names and following each write's guess of where
 * the next one goes. H2 rewrites the header only now and then (every 20 versions, when a guess missed, or when a
 * write on that path was freed), and when it does, it writes the chunk first and the header after. A chunk written
 * into the space of a freed one on that path breaks the path until the header follows; a kill in between reopens
 * the file before the break, behind commits we had vouched for. A harness that copied the file between two of
 * H2's writes found 53 of 898 checkpointed commits missing that way (docs/feed-format.md). A header that
 * names the newest write at each checkpoint, and every {@code app.db.h2.file-check-ms}
 * ({@link FeedEventLog#keepFileReopenable}),
 * leaves no path old enough for H2 to reuse its space behind a vouched commit.
 */
final class H2WritesUnderWay {
    /** More than one round only when other writers store in between; each round is a layout-only write. */
    private static final int LAYOUT_ROUNDS = 8;
    private static final Method WRITE_STORE_HEADER;
    private static final Method MARK_META_CHANGED;
    private static final Field SAVE_CHUNK_LOCK;
    private static final Field LAST_CHUNK;
    private static final Field STORE_HEADER;
    private static final Field RECENTLY_SAVED;

    static {
        try {
            WRITE_STORE_HEADER = RandomAccessStore.class.getDeclaredMethod("writeStoreHeader");
            MARK_META_CHANGED = MVStore.class.getDeclaredMethod("markMetaChanged");
            SAVE_CHUNK_LOCK = FileStore.class.getDeclaredField("saveChunkLock");
            LAST_CHUNK = FileStore.class.getDeclaredField("lastChunk");
            STORE_HEADER = FileStore.class.getDeclaredField("storeHeader");
            RECENTLY_SAVED = FileStore.class.getDeclaredField("recentlySaved");
            for (var member : new java.lang.reflect.AccessibleObject[] {WRITE_STORE_HEADER, MARK_META_CHANGED,
                    SAVE_CHUNK_LOCK, LAST_CHUNK, STORE_HEADER, RECENTLY_SAVED}) {
                member.setAccessible(true);
            }
        } catch (NoSuchMethodException | NoSuchFieldException e) {
            // Serving events this H2 version could lose after a kill would break the feed's promise silently.
            throw new ExceptionInInitializerError("embedded database: this H2 version has no "
                    + e.getMessage() + " to leave its file whole at a checkpoint; run the H2 version the app"
                    + " ships with, or PostgreSQL");
        }
    }

    private H2WritesUnderWay() {
    }

    static void await(Connection c) throws SQLException {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        MVStore store = session.getDatabase().getStore().getMvStore();
        FileStore<?> file = store.getFileStore();
        if (!(file instanceof RandomAccessStore) || file.isReadOnly()) {
            return;
        }
        for (int round = 0; round < LAYOUT_ROUNDS; round++) {
            AtomicBoolean whole = new AtomicBoolean();
            // runs once both of H2's write threads are idle and holds the lock that queues new writes to them
            file.executeFileStoreOperation(() -> {
                if (newestListsEveryEarlierWrite(file)) {
                    pointHeaderAtNewest(file);
                    whole.set(true);
                }
            });
            if (whole.get()) {
                return;
            }
            invoke(MARK_META_CHANGED, store);
            store.commit();
        }
        throw new IllegalStateException("embedded database: its newest write still lacks an earlier one after "
                + LAYOUT_ROUNDS + " layout writes; not vouching for it");
    }

    /** Writes H2 placed after the newest was put together wait in H2's queue for the next one to list them. */
    private static boolean newestListsEveryEarlierWrite(FileStore<?> file) {
        Chunk<?> newest = (Chunk<?>) get(LAST_CHUNK, file);
        if (newest == null) {
            return true;
        }
        for (Object waiting : (Collection<?>) get(RECENTLY_SAVED, file)) {
            if (((Chunk<?>) waiting).version < newest.version) {
                return false;
            }
        }
        return true;
    }

    /** Rewrites the file header when it names a write older than the newest. */
    private static void pointHeaderAtNewest(FileStore<?> file) {
        Lock saving = (Lock) get(SAVE_CHUNK_LOCK, file);
        saving.lock();
        try {
            Chunk<?> newest = (Chunk<?>) get(LAST_CHUNK, file);
            if (newest != null && !named((Map<?, ?>) get(STORE_HEADER, file), newest)) {
                invoke(WRITE_STORE_HEADER, file);
            }
        } finally {
            saving.unlock();
        }
    }

    private static boolean named(Map<?, ?> header, Chunk<?> newest) {
        Object chunk = header.get("chunk");
        // as read from the file a hex string, as written by H2 since then a number
        return chunk != null && Long.parseLong(chunk.toString().trim(), chunk instanceof String ? 16 : 10) == newest.id;
    }

    private static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("embedded database: cannot read H2's " + field.getName(), e);
        }
    }

    private static void invoke(Method method, Object owner) {
        try {
            method.invoke(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("embedded database: cannot call H2's " + method.getName(), e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }
}
