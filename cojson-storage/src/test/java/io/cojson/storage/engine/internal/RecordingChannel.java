package io.cojson.storage.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A real {@link FileChannel} that reports every call that changes the file or forces it to the
 * device, as {@code "<op> <label>"}: {@code write}, {@code truncate}, {@code force} (with
 * metadata), {@code force-data} (without). A {@code force-data} after the size changed is
 * reported as {@code force-data-resized}: the new length would not survive a power loss. Writes,
 * truncations and forces of files (not of directories) also feed the {@link DiskModel}.
 */
final class RecordingChannel extends FileChannel {
    private final FileChannel real;
    private final Path path;
    private final boolean directory;
    private final String label;
    private final DiskModel disk;
    private long sizeAtLastForce;

    RecordingChannel(FileChannel real, Path path, boolean directory, String label, DiskModel disk) throws IOException {
        this.real = real;
        this.path = path;
        this.directory = directory;
        this.label = label;
        this.disk = disk;
        this.sizeAtLastForce = directory ? 0 : real.size();
    }

    private void event(String op) {
        disk.event(op + " " + label);
    }

    private int written(ByteBuffer src, long position, int n) {
        ByteBuffer copy = src.duplicate();
        copy.position(src.position() - n);
        byte[] b = new byte[n];
        copy.get(b);
        disk.write(path, position, b);
        return n;
    }

    @Override public int read(ByteBuffer dst) throws IOException { return real.read(dst); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return real.read(dsts, offset, length); }
    @Override public int read(ByteBuffer dst, long position) throws IOException { return real.read(dst, position); }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        event("write");
        long at = real.position();
        return written(src, at, real.write(src));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) n += write(srcs[i]);
        return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        event("write");
        return written(src, position, real.write(src, position));
    }

    @Override public long position() throws IOException { return real.position(); }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override public long size() throws IOException { return real.size(); }

    @Override
    public FileChannel truncate(long size) throws IOException {
        event("truncate");
        if (size < real.size()) disk.truncate(path, size);
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        real.force(metaData);
        if (directory) {
            disk.forceDirectory(label);
            event("force");
            return;
        }
        long size = real.size();
        boolean resized = size != sizeAtLastForce;
        // without metadata a new length may be lost: then nothing of this force counts as durable
        if (metaData || !resized) disk.force(path);
        event(metaData ? "force" : resized ? "force-data-resized" : "force-data");
        sizeAtLastForce = size;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new UnsupportedOperationException("not recorded; the store does not use it");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        if (mode != MapMode.READ_ONLY) throw new UnsupportedOperationException("writes through a mapping bypass the recording");
        return real.map(mode, position, size);
    }

    @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return real.lock(position, size, shared); }
    @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { return real.tryLock(position, size, shared); }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
