package io.cojson.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.Consumer;

/**
 * A real {@link FileChannel} that reports every call that changes the file or forces it to the
 * device, as {@code "<op> <label>"}: {@code write}, {@code truncate}, {@code force} (with
 * metadata), {@code force-data} (without). A {@code force-data} after the size changed is
 * reported as {@code force-data-resized}: the new length would not survive a power loss.
 */
final class RecordingChannel extends FileChannel {
    private final FileChannel real;
    private final String label;
    private final Consumer<String> log;
    private long sizeAtLastForce;

    RecordingChannel(FileChannel real, String label, Consumer<String> log) throws IOException {
        this.real = real;
        this.label = label;
        this.log = log;
        this.sizeAtLastForce = real.size();
    }

    private void event(String op) {
        log.accept(op + " " + label);
    }

    @Override public int read(ByteBuffer dst) throws IOException { return real.read(dst); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return real.read(dsts, offset, length); }
    @Override public int read(ByteBuffer dst, long position) throws IOException { return real.read(dst, position); }

    @Override
    public int write(ByteBuffer src) throws IOException {
        event("write");
        return real.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        event("write");
        return real.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        event("write");
        return real.write(src, position);
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
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        real.force(metaData);
        long size = real.size();
        event(metaData ? "force" : size != sizeAtLastForce ? "force-data-resized" : "force-data");
        sizeAtLastForce = size;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        event("write");
        return real.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        if (mode != MapMode.READ_ONLY) event("write"); // writes through a mapping bypass this wrapper
        return real.map(mode, position, size);
    }

    @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return real.lock(position, size, shared); }
    @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { return real.tryLock(position, size, shared); }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
