package io.cojson.storage.engine.internal;

import io.cojson.storage.StorageIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The durability-window marker of recovery.md §13, the file {@code durability-window} beside the
 * database: while a process has sent local content to a peer that its storage has not committed
 * yet, this file names each such {@code coValueID sessionID}. It is written before the content
 * goes out, by plain appends outside the queued storage path (no fsync: it has to survive the
 * process, not the machine, like the page cache that holds uncommitted writes anyway), and emptied
 * when storage has caught up. Its first line, {@code tracked}, says that the process writing it
 * recorded its windows at all; only then does an unclean shutdown without entries prove that
 * nothing sent was lost.
 */
final class DurabilityWindowFile {
    static final String FILE = "durability-window";
    private static final String HEADER = "tracked";

    /** What the previous process left: whether it tracked its windows, and the pairs open at its end. */
    record Left(boolean tracked, Set<String> entries) {}

    private final Path file;
    private FileChannel channel; // open while this process tracks

    DurabilityWindowFile(Path dir) {
        this.file = dir.resolve(FILE);
    }

    /** Reads and removes what the previous process left (at open, before this process tracks). */
    synchronized Left takeLeftOver() {
        try {
            if (!Files.exists(file)) return new Left(false, Set.of());
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Set<String> entries = new LinkedHashSet<>();
            boolean tracked = !lines.isEmpty() && lines.get(0).equals(HEADER);
            for (int i = 1; i < lines.size(); i++) {
                String[] parts = lines.get(i).split(" ");
                // a torn last line was being written when the process died: its content was not sent yet
                if (parts.length == 2 && parts[0].startsWith("co_z") && parts[1].contains("_session_z")) entries.add(lines.get(i));
            }
            Files.delete(file);
            return new Left(tracked, entries);
        } catch (IOException e) {
            throw new StorageIOException(file, "cannot read the durability-window marker", e);
        }
    }

    /** From now on this process records its windows (the header is forced once; entries are plain appends). */
    synchronized void track() {
        if (channel != null) return;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            channel.write(ByteBuffer.wrap((HEADER + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            channel = null;
            throw new StorageIOException(file, "cannot start the durability-window marker", e);
        }
    }

    synchronized boolean tracking() {
        return channel != null;
    }

    /** Names {@code entries} ({@code coValueID sessionID}) as sent but not yet stored. */
    synchronized void mark(Set<String> entries) {
        if (channel == null || entries.isEmpty()) return;
        StringBuilder text = new StringBuilder();
        for (String e : entries) text.append(e).append('\n');
        try {
            channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), channel.size());
        } catch (IOException e) {
            throw new StorageIOException(file, "cannot record the durability window", e);
        }
    }

    /** Storage caught up with everything sent: the window is closed. */
    synchronized void clear() {
        if (channel == null) return;
        try {
            channel.truncate(HEADER.length() + 1);
        } catch (IOException e) {
            throw new StorageIOException(file, "cannot clear the durability window", e);
        }
    }

    /**
     * A clean close: every write handed to storage was committed or reported as dropped (the write
     * queue marks those at risk itself), so the marker goes.
     */
    synchronized void closeClean() {
        if (channel == null) return;
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StorageIOException(file, "cannot remove the durability-window marker", e);
        } finally {
            channel = null;
        }
    }

    /** A close that is not clean keeps the file as it is, for the next open. */
    synchronized void abandon() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // the content is already in the file
        } finally {
            channel = null;
        }
    }
}
