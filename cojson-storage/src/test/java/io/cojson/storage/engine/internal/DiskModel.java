package io.cojson.storage.engine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a power loss would leave of the files written through {@link RecordingChannel}s: per file,
 * the bytes as of its last {@code force} (writes since then are lost), and a file exists only once
 * its directory was forced after it was created. Also keeps the ordered event log. All methods
 * are serialized on this object, so a snapshot is consistent with the calls around it.
 */
final class DiskModel {
    private static final class FileState {
        byte[] durable = new byte[0];
        final List<Object[]> pending = new ArrayList<>(); // {Long position, byte[] data} or {Long truncateTo}
        boolean everForced;
    }

    private final Map<Path, FileState> files = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final java.util.Set<String> forcedDirectories = new java.util.HashSet<>();

    synchronized void event(String e) {
        events.add(e);
    }

    synchronized List<String> events() {
        return new ArrayList<>(events);
    }

    synchronized void write(Path file, long position, byte[] data) {
        state(file).pending.add(new Object[] {position, data});
    }

    synchronized void truncate(Path file, long size) {
        state(file).pending.add(new Object[] {size});
    }

    /** fsync of a file: everything written to it so far (through any channel) is durable. */
    synchronized void force(Path file) {
        FileState s = state(file);
        for (Object[] op : s.pending) {
            long pos = (Long) op[0];
            if (op.length == 1) {
                if (s.durable.length > pos) s.durable = Arrays.copyOf(s.durable, (int) pos);
            } else {
                byte[] d = (byte[]) op[1];
                if (s.durable.length < pos + d.length) s.durable = Arrays.copyOf(s.durable, (int) pos + d.length);
                System.arraycopy(d, 0, s.durable, (int) pos, d.length);
            }
        }
        s.pending.clear();
        s.everForced = true;
    }

    /** fsync of a directory ("dir" = the store's, "parent-dir" = the one holding it): its entries are durable. */
    synchronized void forceDirectory(String label) {
        forcedDirectories.add(label);
    }

    private FileState state(Path file) {
        return files.computeIfAbsent(file, f -> new FileState());
    }

    /** The durable bytes of every file, as a power loss now would leave them (nothing unless both directories were forced). */
    synchronized Map<String, byte[]> crashImage() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (!forcedDirectories.containsAll(List.of("dir", "parent-dir"))) return out; // the store's files have no durable names
        files.forEach((p, s) -> {
            if (s.everForced) out.put(p.getFileName().toString(), s.durable.clone());
        });
        return out;
    }

    /** Writes a crash image into {@code dir} (a fresh directory). */
    static void materialize(Map<String, byte[]> image, Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : image.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
