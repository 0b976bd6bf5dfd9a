package io.cojson.core.values;

import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.ids.RawCoID;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A file as a collaborative binary stream: a {@code start} with its info, chunks of bytes, an
 * {@code end}; each one signed transaction, as the reference writes them.
 */
public final class BinaryCoStream extends CoValue {
    /** Default chunk size: 100 KiB of bytes per transaction. */
    public static final int DEFAULT_CHUNK_SIZE = 100 * 1024;

    BinaryCoStream(CojsonNode node, RawCoID id, boolean privateWrites) {
        super(node, id, privateWrites);
    }

    /** This stream, writing trusting (unencrypted) transactions. */
    public BinaryCoStream trusting() {
        return new BinaryCoStream(node, id, false);
    }

    /** Writes a whole file (start, chunks of {@link #DEFAULT_CHUNK_SIZE}, end). {@code fileName} may be null. */
    public BinaryCoStream write(byte[] data, String mimeType, String fileName) {
        return write(data, mimeType, fileName, DEFAULT_CHUNK_SIZE);
    }

    /** Writes a whole file in chunks of {@code chunkSize} bytes, atomically with respect to other writers of this node. */
    public BinaryCoStream write(byte[] data, String mimeType, String fileName, int chunkSize) {
        if (chunkSize <= 0) throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
        local().locked(() -> {
            start(mimeType, fileName, (long) data.length);
            for (int at = 0; at < data.length; at += chunkSize) {
                pushChunk(Arrays.copyOfRange(data, at, Math.min(data.length, at + chunkSize)));
            }
            end();
            return null;
        });
        return this;
    }

    /** Starts (or restarts) the stream; {@code fileName} and {@code totalSizeBytes} may be null. */
    public BinaryCoStream start(String mimeType, String fileName, Long totalSizeBytes) {
        write(List.of(BinaryStreamContent.startChange(mimeType, fileName, totalSizeBytes)));
        return this;
    }

    public BinaryCoStream pushChunk(byte[] chunk) {
        write(List.of(BinaryStreamContent.chunkChange(chunk)));
        return this;
    }

    public BinaryCoStream end() {
        write(List.of(BinaryStreamContent.endChange()));
        return this;
    }

    /** The info of the latest start, or {@code null} before any. */
    public BinaryInfo info() {
        return read(BinaryStreamContent.class, b -> {
            BinaryStreamContent.Info i = b.info();
            return i == null ? null : new BinaryInfo(i.mimeType(), i.fileName(), i.totalSizeBytes());
        });
    }

    public boolean finished() {
        return read(BinaryStreamContent.class, BinaryStreamContent::finished);
    }

    /** The whole file, or {@code null} until it is started and finished. */
    public byte[] bytes() {
        return bytes(false);
    }

    /** The bytes so far; {@code null} before a start, and before the end unless {@code allowUnfinished}. */
    public byte[] bytes(boolean allowUnfinished) {
        return read(BinaryStreamContent.class, b -> b.bytes(allowUnfinished));
    }

    /** Calls {@code listener} after every change of this stream, or of the groups it depends on. */
    public Subscription subscribe(Consumer<BinaryCoStream> listener) {
        return listen(() -> listener.accept(this));
    }
}
