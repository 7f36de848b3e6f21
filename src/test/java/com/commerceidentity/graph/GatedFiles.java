package com.commerceidentity.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code jdbc:h2:gate:<path>}) whose writes wait while the gate is shut: a test holds a write
 * H2 has started on its own threads, and sees what returns before that write reaches the file.
 */
public final class GatedFiles extends FilePathWrapper {
    private static final Object GATE = new Object();
    private static boolean shut;
    private static final AtomicInteger WAITING = new AtomicInteger();

    /** H2 makes one per path, by reflection. */
    public GatedFiles() {
    }

    public static void register() {
        FilePath.register(new GatedFiles());
    }

    public static void shut() {
        synchronized (GATE) {
            shut = true;
        }
    }

    public static void open() {
        synchronized (GATE) {
            shut = false;
            GATE.notifyAll();
        }
    }

    /** Waits up to 10 s for a write to reach the shut gate; returns how many wait there then. */
    public static int awaitAWrite() throws InterruptedException {
        for (int i = 0; i < 1_000 && waiting() == 0; i++) {
            Thread.sleep(10);
        }
        return waiting();
    }

    /** How many writes wait at the shut gate now. */
    public static int waiting() {
        return WAITING.get();
    }

    private static void pass() throws IOException {
        synchronized (GATE) {
            if (!shut) {
                return;
            }
            WAITING.incrementAndGet();
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (shut && System.nanoTime() < until) {
                    GATE.wait(1_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate", e);
            } finally {
                WAITING.decrementAndGet();
            }
        }
    }

    @Override
    public String getScheme() {
        return "gate";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Gated(getBase().open(mode));
    }

    private static final class Gated extends FileBase {
        private final FileChannel base;

        Gated(FileChannel base) {
            this.base = base;
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            pass();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            pass();
            return base.write(src, position);
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
