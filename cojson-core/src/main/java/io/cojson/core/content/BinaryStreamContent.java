package io.cojson.core.content;

import io.cojson.core.encoding.Base64Url;
import io.cojson.core.encoding.InvalidEncodingException;
import io.cojson.core.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The view of a binary CoStream (covalues.md §10.2): changes are walked in processing order across
 * all sessions, without sorting. {@code start} replaces the stream info, {@code chunk} appends
 * bytes, {@code end} finishes; once a batch has contained {@code end}, later batches are ignored
 * (the reference returns early from the next processing pass). Not thread-safe.
 */
public final class BinaryStreamContent {
    /** The stream info from the latest {@code start}; absent or ill-typed fields are {@code null}. */
    public record Info(String mimeType, String fileName, Long totalSizeBytes) {}

    private static final String CHUNK_PREFIX = "binary_U";

    private Info info;
    private final List<byte[]> chunks = new ArrayList<>();
    private boolean ended;

    /** Applies a batch; chunks are decoded eagerly and a chunk that fails to decode is skipped. */
    public void add(List<DecodedTx> batch) {
        if (ended) return;
        for (DecodedTx tx : batch) {
            for (JsonValue change : tx.changes()) {
                if (!(change instanceof JsonValue.Obj o) || !(o.get("type") instanceof JsonValue.Str type)) continue;
                switch (type.value()) {
                    case "chunk":
                        byte[] bytes = decodeChunk(o.get("chunk"));
                        if (bytes != null) chunks.add(bytes);
                        break;
                    case "start":
                        info = infoOf(o);
                        break;
                    case "end":
                        ended = true; // items after it in the same batch still count, as in the reference
                        break;
                    default:
                        break;
                }
            }
        }
    }

    private static byte[] decodeChunk(JsonValue chunk) {
        if (!(chunk instanceof JsonValue.Str s)) return null;
        // The reference strips 8 characters without checking the prefix (slice(8)).
        String body = s.value().substring(Math.min(CHUNK_PREFIX.length(), s.value().length()));
        try {
            return Base64Url.decode(body);
        } catch (InvalidEncodingException e) {
            return null;
        }
    }

    private static Info infoOf(JsonValue.Obj start) {
        String mimeType = start.get("mimeType") instanceof JsonValue.Str m ? m.value() : null;
        String fileName = start.get("fileName") instanceof JsonValue.Str f ? f.value() : null;
        Long size = start.get("totalSizeBytes") instanceof JsonValue.Num n && n.isSafeInteger() ? n.longValue() : null;
        return new Info(mimeType, fileName, size);
    }

    /** The info of the latest {@code start}, or {@code null} before any. */
    public Info info() {
        return info;
    }

    public boolean finished() {
        return ended;
    }

    /**
     * Copies of the decoded chunks; {@code null} until a {@code start} is known, and until the
     * {@code end} too unless {@code allowUnfinished} (the reference's {@code getBinaryChunks}).
     */
    public List<byte[]> chunks(boolean allowUnfinished) {
        if (info == null || (!ended && !allowUnfinished)) return null;
        List<byte[]> out = new ArrayList<>(chunks.size());
        for (byte[] c : chunks) out.add(c.clone());
        return out;
    }

    /** All chunks of a finished stream concatenated, or {@code null} while start or end is missing. */
    public byte[] bytes() {
        return bytes(false);
    }

    public byte[] bytes(boolean allowUnfinished) {
        if (info == null || (!ended && !allowUnfinished)) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) out.write(c, 0, c.length);
        return out.toByteArray();
    }

    /** {@code toJSON()} of a binary stream is always {@code {}}. */
    public JsonValue.Obj toJson() {
        return new JsonValue.Obj(Map.of());
    }

    /**
     * {@code {"type":"start","mimeType",["fileName"],["totalSizeBytes"]}}: the reference spreads the
     * settings after {@code type} and an undefined field disappears when serialized.
     */
    public static JsonValue.Obj startChange(String mimeType, String fileName, Long totalSizeBytes) {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        m.put("type", JsonValue.of("start"));
        m.put("mimeType", JsonValue.of(mimeType));
        if (fileName != null) m.put("fileName", JsonValue.of(fileName));
        if (totalSizeBytes != null) m.put("totalSizeBytes", JsonValue.of(totalSizeBytes.longValue()));
        return new JsonValue.Obj(m);
    }

    /** {@code {"type":"chunk","chunk":"binary_U<padded base64url>"}}. */
    public static JsonValue.Obj chunkChange(byte[] bytes) {
        return JsonValue.obj("type", JsonValue.of("chunk"), "chunk", JsonValue.of(CHUNK_PREFIX + Base64Url.encode(bytes)));
    }

    /** {@code {"type":"end"}}. */
    public static JsonValue.Obj endChange() {
        return JsonValue.obj("type", JsonValue.of("end"));
    }
}
