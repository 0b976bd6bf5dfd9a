package io.cojson.storage.engine.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.Checksum;
import org.mapdb.DBException;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * The MapDB data file behind a redo journal, which makes every MapDB commit atomic across a crash.
 *
 * <p>Why: MapDB 3.1.0's write-ahead log is never replayed on open, and its commit writes the new
 * pages into the data file in place; a process killed during that step leaves a torn file (the
 * crash tests hit this within a few dozen kills). Here every write MapDB makes to the data file
 * lands in an in-memory overlay of 4 KB pages; {@link #sync()} — which MapDB calls exactly once at
 * the end of each commit — first writes all changed pages with the new length to
 * {@code cojson.mapdb.journal} (checksummed), forces it, and only then copies the pages into the
 * data file. On open, {@link #recover} re-applies a complete journal (idempotent: it holds page
 * images) and ignores a torn one (its commit never touched the data file).
 */
final class JournaledVolume extends Volume {
    static final int PAGE = 4096;
    private static final long MAGIC = 0x636f6a736f6e4a31L; // "cojsonJ1"
    private static final int HEADER = 8 + 8 + 4;

    private final Path dataPath;
    private final FileChannel data;
    private final FileChannel journal;
    private final boolean fsync;
    private final long sliceSize;
    private final ConcurrentMap<Long, byte[]> dirty = new ConcurrentHashMap<>(); // Map.keySet(), not KeySetView (not on Android 26)
    private volatile long length;
    private long committedLength;
    /**
     * Whether everything the journal holds is in the data file and forced there: true after open
     * ({@link #recover} applied or dropped it), and after each {@link #sync()} that completed with
     * fsync. A clean {@link #close()} then empties the journal, so the next open has nothing to
     * re-apply (no read of the journal, no page writes, no two fsyncs at every start).
     */
    private boolean journalApplied = true;
    /** A sync failed part-way at some point: the journal is kept for the next open, whatever follows. */
    private boolean syncFailed;

    JournaledVolume(Path dataPath, Path journalPath, boolean fsync, int sliceShift) {
        this.dataPath = dataPath;
        this.fsync = fsync;
        this.sliceSize = 1L << sliceShift;
        try {
            this.data = StoreFiles.channels.open(dataPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.journal = StoreFiles.channels.open(journalPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.length = data.size();
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        }
        this.committedLength = length;
    }

    /** Completes an interrupted commit from the journal, or drops a torn journal. Call before MapDB opens the file. */
    static void recover(Path dataPath, Path journalPath) throws IOException {
        if (!Files.exists(journalPath) || Files.size(journalPath) == 0) return;
        ByteBuffer j = ByteBuffer.wrap(Files.readAllBytes(journalPath));
        List<long[]> offsets = new ArrayList<>();
        long newLength = -1;
        if (j.remaining() >= HEADER && j.getLong(0) == MAGIC) {
            newLength = j.getLong(8);
            int count = j.getInt(16);
            long end = HEADER + (long) count * (8 + PAGE);
            if (count >= 0 && newLength >= 0 && end + 4 <= j.capacity()) {
                Checksum crc = Crc32c.create();
                crc.update(j.array(), 0, (int) end);
                if ((int) crc.getValue() == j.getInt((int) end)) {
                    for (int i = 0; i < count; i++) offsets.add(new long[] {j.getLong(HEADER + i * (8 + PAGE)), HEADER + i * (8L + PAGE) + 8});
                } else {
                    newLength = -1;
                }
            } else {
                newLength = -1;
            }
        }
        if (newLength >= 0) {
            try (FileChannel d = StoreFiles.channels.open(dataPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                for (long[] o : offsets) {
                    if (o[0] * PAGE < newLength) writeFully(d, ByteBuffer.wrap(j.array(), (int) o[1], PAGE), o[0] * PAGE);
                }
                setSize(d, newLength);
                d.force(true);
            }
        }
        try (FileChannel c = StoreFiles.channels.open(journalPath, StandardOpenOption.WRITE)) {
            c.truncate(0);
            c.force(true);
        }
    }

    private static void writeFully(FileChannel c, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) at += c.write(b, at);
    }

    private static void setSize(FileChannel c, long size) throws IOException {
        if (c.size() > size) c.truncate(size);
        if (c.size() < size) writeFully(c, ByteBuffer.allocate(1), size - 1);
    }

    private void readFile(long offset, byte[] dst, int pos, int size) {
        ByteBuffer b = ByteBuffer.wrap(dst, pos, size);
        try {
            while (b.hasRemaining()) {
                int n = data.read(b, offset + (b.position() - pos));
                if (n < 0) break;
            }
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        }
        while (b.hasRemaining()) b.put((byte) 0); // beyond the end of the file
    }

    private byte[] page(long index) {
        return dirty.computeIfAbsent(index, i -> {
            byte[] p = new byte[PAGE];
            readFile(i * PAGE, p, 0, PAGE);
            return p;
        });
    }

    @Override
    public void getData(long offset, byte[] bytes, int bytesPos, int size) {
        if (dirty.isEmpty()) {
            readFile(offset, bytes, bytesPos, size);
            return;
        }
        while (size > 0) {
            long index = offset / PAGE;
            int in = (int) (offset % PAGE);
            int n = Math.min(size, PAGE - in);
            byte[] p = dirty.get(index);
            if (p != null) {
                System.arraycopy(p, in, bytes, bytesPos, n);
            } else {
                readFile(offset, bytes, bytesPos, n);
            }
            offset += n;
            bytesPos += n;
            size -= n;
        }
    }

    @Override
    public void putData(long offset, byte[] src, int srcPos, int srcSize) {
        while (srcSize > 0) {
            long index = offset / PAGE;
            int in = (int) (offset % PAGE);
            int n = Math.min(srcSize, PAGE - in);
            System.arraycopy(src, srcPos, page(index), in, n);
            offset += n;
            srcPos += n;
            srcSize -= n;
        }
    }

    @Override
    public void putData(long offset, ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        putData(offset, b, 0, b.length);
    }

    @Override
    public void putLong(long offset, long value) {
        putData(offset, ByteBuffer.allocate(8).putLong(0, value).array(), 0, 8);
    }

    @Override
    public void putInt(long offset, int value) {
        putData(offset, ByteBuffer.allocate(4).putInt(0, value).array(), 0, 4);
    }

    @Override
    public void putByte(long offset, byte value) {
        putData(offset, new byte[] {value}, 0, 1);
    }

    @Override
    public long getLong(long offset) {
        byte[] b = new byte[8];
        getData(offset, b, 0, 8);
        return ByteBuffer.wrap(b).getLong();
    }

    @Override
    public int getInt(long offset) {
        byte[] b = new byte[4];
        getData(offset, b, 0, 4);
        return ByteBuffer.wrap(b).getInt();
    }

    @Override
    public byte getByte(long offset) {
        byte[] b = new byte[1];
        getData(offset, b, 0, 1);
        return b[0];
    }

    @Override
    public DataInput2 getDataInput(long offset, int size) {
        byte[] b = new byte[size];
        getData(offset, b, 0, size);
        return new DataInput2.ByteArray(b);
    }

    @Override
    public void ensureAvailable(long offset) {
        long rounded = (offset + sliceSize - 1) / sliceSize * sliceSize;
        if (rounded > length) length = rounded;
    }

    @Override
    public void truncate(long size) {
        length = size;
        dirty.keySet().removeIf(i -> i * PAGE >= size);
    }

    @Override
    public void clear(long startOffset, long endOffset) {
        byte[] zeros = new byte[PAGE];
        for (long at = startOffset; at < endOffset; at += PAGE) putData(at, zeros, 0, (int) Math.min(PAGE, endOffset - at));
    }

    /** MapDB calls this once at the end of every commit: journal first, then the data file. */
    @Override
    public synchronized void sync() {
        if (dirty.isEmpty() && length == committedLength) return;
        List<Long> pages = new ArrayList<>(dirty.keySet());
        Collections.sort(pages);
        int end = HEADER + pages.size() * (8 + PAGE);
        ByteBuffer j = ByteBuffer.allocate(end + 4);
        j.putLong(MAGIC).putLong(length).putInt(pages.size());
        for (long p : pages) j.putLong(p).put(dirty.get(p));
        Checksum crc = Crc32c.create();
        crc.update(j.array(), 0, end);
        j.putInt((int) crc.getValue());
        ((Buffer) j).flip(); // Buffer.flip(): ByteBuffer.flip() (JDK 9) is not on Android 26
        journalApplied = false;
        boolean done = false;
        try {
            writeFully(journal, j, 0);
            if (fsync) journal.force(true);
            for (long p : pages) {
                if (p * PAGE < length) writeFully(data, ByteBuffer.wrap(dirty.get(p)), p * PAGE);
            }
            boolean resized = data.size() != length;
            setSize(data, length);
            if (fsync) data.force(resized);
            done = true;
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        } finally {
            if (!done) syncFailed = true;
        }
        journalApplied = fsync;
        committedLength = length;
        dirty.clear();
    }

    /** Forgets writes since the last commit (after a failed commit). */
    synchronized void discard() {
        dirty.clear();
        length = committedLength;
    }

    @Override
    public synchronized void close() {
        if (closed.getAndSet(true)) return;
        dirty.clear();
        try {
            // Not forced: if the truncation is lost in a crash, the next open re-applies the
            // journal's page images, which the data file already holds (idempotent).
            if (journalApplied && !syncFailed) emptyJournal();
            data.close();
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void emptyJournal() {
        try {
            if (journal.size() > 0) journal.truncate(0);
        } catch (IOException e) {
            // kept: the next open re-applies it
        }
    }

    @Override
    public int sliceSize() {
        return -1;
    }

    @Override
    public boolean isSliced() {
        return false;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public File getFile() {
        return dataPath.toFile();
    }

    @Override
    public boolean getFileLocked() {
        return false;
    }
}
