package io.cojson.storage.engine.internal;

import io.cojson.storage.StorageCorruptedException;
import io.cojson.storage.StorageIOException;
import io.cojson.storage.StorageLockedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.StoreWAL;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * The files of one store directory: {@code cojson.lock} (exclusive lock, names its holder),
 * {@code cojson.mapdb} (MapDB with transactions) and {@code cojson.mapdb.journal} (its redo journal),
 * {@code cojson.store} (marks that a store was created here) and {@code at-risk-sessions}
 * (written when a close had to drop queued writes, or found in {@link DurabilityWindowFile}
 * after an unclean shutdown) and {@code session-registry} (this
 * installation's own session IDs) and {@code cojson.open} (present while a process has the store
 * open: found at open, it means the previous process ended without closing, recovery.md §13).
 */
final class StoreFiles {
    static final String LOCK_FILE = "cojson.lock";
    static final String DATA_FILE = "cojson.mapdb";
    static final String AT_RISK_FILE = "at-risk-sessions";
    /** This installation's own session IDs, current and previous (recovery.md §4.3 ownership). */
    static final String SESSION_REGISTRY_FILE = "session-registry";
    static final String CONFLICT_RECORDS_FILE = "conflict-records";
    /** Edits discarded because their CoValue was deleted (recovery.md §11 DISCARDED_DELETED), one JSON line each. */
    static final String DISCARDED_FILE = "discarded-deleted";
    /** Per CoValue and own session, how many transactions a server acknowledged (recovery.md §5.3 discarded edits). */
    static final String ACKNOWLEDGED_FILE = "server-acknowledged";
    /** Written once the store exists: a missing or empty data file next to it is damage, not a new store. */
    static final String MARKER_FILE = "cojson.store";
    /** Written at open, deleted by a clean close: its presence at open is the unclean-shutdown flag. */
    static final String OPEN_MARKER = "cojson.open";

    /** Test seam (see {@link ChannelOpener}); production never changes it. */
    static volatile ChannelOpener channels = ChannelOpener.DEFAULT;

    final Path dir;
    final Path dataFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    final DB db;
    private final JournaledVolume volume;
    /** Whether {@link #OPEN_MARKER} was already there when this process opened the store. */
    final boolean uncleanShutdown;

    private StoreFiles(Path dir, Path dataFile, FileChannel lockChannel, FileLock lock, DB db, JournaledVolume volume,
            boolean uncleanShutdown) {
        this.dir = dir;
        this.dataFile = dataFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
        this.volume = volume;
        this.uncleanShutdown = uncleanShutdown;
    }

    /** Drops what a failed commit wrote to the data file's overlay (nothing of it reached the file). */
    void discardUncommitted() {
        if (volume != null) volume.discard();
    }

    static StoreFiles open(Path dir, boolean syncOnCommit) {
        Lz4Native.prepare(); // before MapDB's first use of lz4: no temp copy of its library per start
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel ch;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageIOException(lockFile, "cannot open the lock file", e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StorageLockedException(lockFile, "this process: " + holder(lockFile), e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StorageIOException(lockFile, "cannot lock the storage directory", e);
        }
        if (lock == null) {
            String holder = holder(lockFile);
            closeQuietly(ch);
            throw new StorageLockedException(lockFile, holder, null);
        }
        Path dataFile = dir.resolve(DATA_FILE);
        try {
            writeHolder(ch);
            boolean existed = Files.exists(dataFile) && Files.size(dataFile) > 0;
            if (!existed && Files.exists(dir.resolve(MARKER_FILE))) {
                throw new StorageCorruptedException(dataFile, "the data file is missing or empty, but " + dir.resolve(MARKER_FILE)
                        + " says a store was created here", null);
            }
            JournaledVolume[] volume = new JournaledVolume[1];
            DB db = openDb(dataFile, syncOnCommit, existed, volume);
            boolean unclean;
            try {
                unclean = markOpen(dir);
            } catch (IOException e) {
                db.close();
                throw e;
            }
            return new StoreFiles(dir, dataFile, ch, lock, db, volume[0], unclean);
        } catch (RuntimeException | IOException e) {
            releaseQuietly(lock, ch);
            if (e instanceof RuntimeException r && r instanceof io.cojson.storage.StorageException) throw r;
            throw new StorageIOException(dataFile, "cannot open the store", e);
        }
    }

    /**
     * MapDB with transactions (StoreWAL), its data file behind {@link JournaledVolume} (crash-atomic
     * commits) and its own write-ahead log in memory: MapDB 3.1.0 never replays that log on open, so
     * on disk it would only cost writes.
     */
    private static DB openDb(Path dataFile, boolean syncOnCommit, boolean existed, JournaledVolume[] volume) throws IOException {
        Path journal = dataFile.resolveSibling(DATA_FILE + ".journal");
        JournaledVolume.recover(dataFile, journal);
        // a filter, not a glob: a glob compiles to a regex (java.util.regex's classes at every start)
        try (var stale = Files.newDirectoryStream(dataFile.getParent(), p -> p.getFileName().toString().startsWith(DATA_FILE + ".wal."))) {
            for (Path p : stale) Files.deleteIfExists(p); // MapDB's own log files from before the journal
        }
        String dataName = dataFile.toString();
        VolumeFactory factory = new VolumeFactory() {
            @Override
            public Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize, boolean fixedSize) {
                if (dataName.equals(file)) return volume[0] = new JournaledVolume(dataFile, journal, syncOnCommit, sliceShift);
                return new ByteArrayVol(sliceShift, initSize); // the write-ahead log of the open transaction
            }

            @Override
            public boolean exists(String file) {
                return dataName.equals(file) && existed;
            }

            @Override
            public boolean handlesReadonly() {
                return false;
            }
        };
        try {
            StoreWAL store = StoreWAL.make(dataName, factory, 0L, true, CC.STORE_DIRECT_CONC_SHIFT, CC.PAGE_SIZE, 0L, false, false, false,
                    true, false);
            return new DB(store, existed, true, StoreFiles.class.getClassLoader(), 0);
        } catch (RuntimeException | AssertionError | OutOfMemoryError e) {
            if (volume[0] != null) volume[0].close();
            if (!existed) throw new StorageIOException(dataFile, "cannot create the store: " + e, e);
            throw new StorageCorruptedException(dataFile, "MapDB cannot open it: " + e, e);
        }
    }

    /**
     * Writes the open marker (forced to the device) and answers whether it was already there, i.e.
     * whether the last process that had this store open ended without closing it. Only the
     * lock holder gets here, so a marker found is never a live process's.
     */
    private static boolean markOpen(Path dir) throws IOException {
        Path marker = dir.resolve(OPEN_MARKER);
        boolean found = Files.exists(marker);
        try (FileChannel c = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(ByteBuffer.wrap(new StringBuilder(64).append("pid=").append(pid()).append(" opened=").append(isoNow()).append('\n')
                    .toString().getBytes(StandardCharsets.UTF_8)));
            c.force(true);
        }
        return found;
    }

    /**
     * The lock holder's description, read by a process that finds the store locked. Not forced to
     * the device: only a live holder's note is ever read (the page cache serves it), and after a
     * crash the next opener writes its own. Built without string concatenation's invokedynamic,
     * whose first use of each shape spins method-handle classes (milliseconds at every start).
     */
    private static void writeHolder(FileChannel ch) throws IOException {
        String text = new StringBuilder(96).append("pid=").append(pid()).append(" host=").append(HostName.get())
                .append(" opened=").append(isoNow()).append('\n').toString();
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    /**
     * This process's id, for the lock holder's description: ProcessHandle (JDK 9) on a JVM,
     * android.os.Process.myPid() on Android (which has no ProcessHandle), both looked up
     * reflectively so this class links on either.
     */
    static String pid() {
        String p = pid;
        if (p == null) pid = p = lookUpPid();
        return p;
    }

    private static volatile String pid;

    private static String lookUpPid() {
        try {
            Class<?> handle = Class.forName("java.lang.ProcessHandle");
            return String.valueOf(handle.getMethod("pid").invoke(handle.getMethod("current").invoke(null)));
        } catch (ReflectiveOperationException | LinkageError e) {
            try {
                return String.valueOf(Class.forName("android.os.Process").getMethod("myPid").invoke(null));
            } catch (ReflectiveOperationException | LinkageError e2) {
                return "unknown";
            }
        }
    }

    /** {@code Instant.now().toString()}, without loading java.time's formatter (dozens of classes at every start). */
    static String isoNow() {
        return iso(Instant.now());
    }

    /**
     * What {@link Instant#toString()} (ISO_INSTANT) writes, for years 1970 to 9999: date, time to the
     * second, then the fraction in groups of three digits as far as it is not zero, then 'Z'.
     */
    static String iso(Instant t) {
        long secs = t.getEpochSecond();
        long day = Math.floorDiv(secs, 86_400L);
        int sod = (int) Math.floorMod(secs, 86_400L);
        // civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian)
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        if (y < 1970 || y > 9999) return t.toString();
        StringBuilder b = new StringBuilder(30);
        b.append(y).append('-');
        two(b, m).append('-');
        two(b, d).append('T');
        two(b, sod / 3600).append(':');
        two(b, sod / 60 % 60).append(':');
        two(b, sod % 60);
        int nano = t.getNano();
        if (nano > 0) {
            String f = Integer.toString(1_000_000_000 + nano).substring(1); // nine digits
            int len = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            b.append('.').append(f, 0, len);
        }
        return b.append('Z').toString();
    }

    private static StringBuilder two(StringBuilder b, int v) {
        if (v < 10) b.append('0');
        return b.append(v);
    }

    private static String holder(Path lockFile) {
        try {
            String s = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "unknown" : s;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Records that the store exists (after its first commit), then forces the directory (and its
     * parent, which may just have been created): forcing a file does not make its directory entry
     * durable, so without this a power loss right after the first acknowledged commit could leave
     * no data file (or a marker without one). Done at every open (two fsyncs), so a run that died
     * between creating the files and forcing the directory is covered by the next one.
     */
    void markCreated() {
        Path marker = dir.resolve(MARKER_FILE);
        if (!Files.exists(marker)) {
            try {
                Files.write(marker, ("cojson-storage format " + Tables.FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
                try (FileChannel c = channels.open(marker, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
            } catch (IOException e) {
                throw new StorageIOException(marker, "cannot write the store marker", e);
            }
        }
        forceDirectory(dir);
        if (dir.toAbsolutePath().getParent() != null) forceDirectory(dir.toAbsolutePath().getParent());
    }

    /** fsync of a directory; where the platform cannot open a directory (Windows) there is nothing to do. */
    private static void forceDirectory(Path d) {
        FileChannel c;
        try {
            c = channels.open(d, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (c) {
            c.force(true);
        } catch (IOException e) {
            throw new StorageIOException(d, "cannot force the directory to the device", e);
        }
    }

    Set<String> atRisk() {
        Path f = dir.resolve(AT_RISK_FILE);
        try {
            return Files.exists(f) ? new LinkedHashSet<>(Files.readAllLines(f, StandardCharsets.UTF_8)) : Set.of();
        } catch (IOException e) {
            throw new StorageIOException(f, "cannot read the at-risk sessions", e);
        }
    }

    void writeAtRisk(Set<String> sessions) {
        addLines(AT_RISK_FILE, sessions, "cannot record the at-risk sessions");
    }

    /** Forgets some at-risk entries (checked since); durable when this returns. */
    void removeAtRisk(Set<String> entries) {
        Set<String> left = new LinkedHashSet<>(atRisk());
        if (!left.removeAll(entries)) return;
        if (left.isEmpty()) clearAtRisk();
        else replaceLines(AT_RISK_FILE, left, "cannot update the at-risk sessions");
    }

    Set<String> ownSessions() {
        return lines(SESSION_REGISTRY_FILE, "cannot read the session registry");
    }

    /** Adds to the session registry; durable (fsync, atomic rename) when this returns. */
    void recordOwnSessions(Set<String> sessions) {
        if (ownSessions().containsAll(sessions)) return;
        addLines(SESSION_REGISTRY_FILE, sessions, "cannot record an own session");
    }

    /** The conflict records (recovery.md §11), one JSON object a line, in the order written. */
    List<String> conflictRecords() {
        return List.copyOf(lines(CONFLICT_RECORDS_FILE, "cannot read the conflict records"));
    }

    /** Replaces the conflict records; durable (fsync, atomic rename) when this returns. */
    void writeConflictRecords(List<String> records) {
        replaceLines(CONFLICT_RECORDS_FILE, new LinkedHashSet<>(records), "cannot write the conflict records");
    }

    /** The discarded-edit records (recovery.md §11 DISCARDED_DELETED), in the order written. */
    Set<String> discarded() {
        return lines(DISCARDED_FILE, "cannot read the discarded-edit records");
    }

    /** Adds records (an exact repeat is kept once); durable (fsync, atomic rename) when this returns. */
    void recordDiscarded(Set<String> records) {
        if (discarded().containsAll(records)) return;
        addLines(DISCARDED_FILE, records, "cannot record discarded edits");
    }

    /** "coValueID sessionID" → acknowledged count. */
    java.util.Map<String, Integer> acknowledged() {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (String line : lines(ACKNOWLEDGED_FILE, "cannot read the server acknowledgements")) {
            int sp = line.lastIndexOf(' ');
            if (sp <= 0) continue;
            try {
                out.merge(line.substring(0, sp), Integer.parseInt(line.substring(sp + 1)), Math::max);
            } catch (NumberFormatException e) {
                // a damaged line only loses its acknowledgement: its edits count as unacknowledged (over-reporting)
            }
        }
        return out;
    }

    /** Merges {@code more} (maximum per key); durable (fsync, atomic rename) when this returns. */
    void recordAcknowledged(java.util.Map<String, Integer> more) {
        java.util.Map<String, Integer> all = acknowledged();
        boolean changed = false;
        for (var e : more.entrySet()) {
            Integer old = all.get(e.getKey());
            if (old == null || old < e.getValue()) {
                all.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        if (!changed) return;
        Set<String> lines = new LinkedHashSet<>();
        all.forEach((k, v) -> lines.add(k + " " + v));
        replaceLines(ACKNOWLEDGED_FILE, lines, "cannot record server acknowledgements");
    }

    private Set<String> lines(String name, String problem) {
        Path f = dir.resolve(name);
        try {
            return Files.exists(f) ? new LinkedHashSet<>(Files.readAllLines(f, StandardCharsets.UTF_8)) : Set.of();
        } catch (IOException e) {
            throw new StorageIOException(f, problem, e);
        }
    }

    /** Rewrites {@code name} with its lines plus {@code more}: a crash leaves the old or the new file, never a torn one. */
    private void addLines(String name, Set<String> more, String problem) {
        Set<String> all = new LinkedHashSet<>(lines(name, problem));
        all.addAll(more);
        replaceLines(name, all, problem);
    }

    private void replaceLines(String name, Set<String> all, String problem) {
        Path f = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            Files.write(tmp, List.copyOf(all), StandardCharsets.UTF_8);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageIOException(f, problem, e);
        }
    }

    void clearAtRisk() {
        Path f = dir.resolve(AT_RISK_FILE);
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new StorageIOException(f, "cannot clear the at-risk sessions", e);
        }
    }

    /**
     * Closes MapDB (nothing uncommitted is written), deletes the open marker (this close is clean),
     * then releases the lock. A close that fails before the marker is gone counts as unclean.
     */
    void close() {
        close(true);
    }

    /** {@code clean=false} (an open that failed after an unclean shutdown) keeps the flag for the next open. */
    void close(boolean clean) {
        try {
            if (!db.isClosed()) db.close();
            if (clean) Files.deleteIfExists(dir.resolve(OPEN_MARKER));
        } catch (IOException e) {
            throw new StorageIOException(dir.resolve(OPEN_MARKER), "cannot remove the open marker", e);
        } finally {
            releaseQuietly(lock, lockChannel);
        }
    }

    private static void releaseQuietly(FileLock lock, FileChannel ch) {
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            // the channel close below releases it too
        }
        closeQuietly(ch);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
