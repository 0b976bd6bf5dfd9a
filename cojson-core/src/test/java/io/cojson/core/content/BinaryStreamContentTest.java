package io.cojson.core.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryStreamContentTest {
    static final SessionID A = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN");
    static final SessionID B = SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zThird");
    private int next;

    DecodedTx tx(SessionID s, long madeAt, JsonValue... changes) {
        return new DecodedTx(new TransactionID(s, next++), madeAt, List.of(changes), false);
    }

    static JsonValue chunk(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        return BinaryStreamContent.chunkChange(b);
    }

    @Test
    void changeShapes() {
        assertEquals("{\"type\":\"chunk\",\"chunk\":\"binary_UaGkh\"}", JsonWriter.stringify(chunk(0x68, 0x69, 0x21)));
        assertEquals("{\"type\":\"chunk\",\"chunk\":\"binary_UaGk=\"}", JsonWriter.stringify(chunk(0x68, 0x69)));
        assertEquals("{\"type\":\"start\",\"mimeType\":\"image/png\",\"fileName\":\"a.png\",\"totalSizeBytes\":3}",
                JsonWriter.stringify(BinaryStreamContent.startChange("image/png", "a.png", 3L)));
        assertEquals("{\"type\":\"start\",\"mimeType\":\"text/plain\"}",
                JsonWriter.stringify(BinaryStreamContent.startChange("text/plain", null, null)));
        assertEquals("{\"type\":\"end\"}", JsonWriter.stringify(BinaryStreamContent.endChange()));
    }

    @Test
    void startChunksEnd() {
        BinaryStreamContent b = new BinaryStreamContent();
        assertNull(b.info());
        b.add(List.of(tx(A, 1, BinaryStreamContent.startChange("text/plain", "hi.txt", 5L)), tx(A, 2, chunk(0x68, 0x69))));
        assertEquals(new BinaryStreamContent.Info("text/plain", "hi.txt", 5L), b.info());
        assertFalse(b.finished());
        assertNull(b.chunks(false));
        assertNull(b.bytes());
        assertEquals(1, b.chunks(true).size());
        b.add(List.of(tx(A, 3, chunk(0x21, 0x21, 0x21)), tx(A, 4, BinaryStreamContent.endChange())));
        assertTrue(b.finished());
        assertArrayEquals(new byte[] {0x68, 0x69, 0x21, 0x21, 0x21}, b.bytes());
        assertEquals(2, b.chunks(false).size());
        assertEquals("{}", JsonWriter.stringify(b.toJson()));
    }

    @Test
    void chunksWithoutStartAreNotReadable() {
        BinaryStreamContent b = new BinaryStreamContent();
        b.add(List.of(tx(A, 1, chunk(1)), tx(A, 2, BinaryStreamContent.endChange())));
        assertTrue(b.finished());
        assertNull(b.chunks(true));
        assertNull(b.info());
    }

    @Test
    void processingOrderNotTimeOrderAndStartReplacesInfo() {
        BinaryStreamContent b = new BinaryStreamContent();
        b.add(List.of(tx(B, 9, BinaryStreamContent.startChange("a/b", null, null)), tx(B, 9, chunk(2)),
                tx(A, 1, chunk(1)), tx(A, 1, BinaryStreamContent.startChange("c/d", "f", null))));
        assertEquals(new BinaryStreamContent.Info("c/d", "f", null), b.info());
        List<byte[]> chunks = b.chunks(true);
        assertArrayEquals(new byte[] {2}, chunks.get(0));
        assertArrayEquals(new byte[] {1}, chunks.get(1));
    }

    @Test
    void afterABatchWithEndLaterBatchesAreIgnored() {
        BinaryStreamContent b = new BinaryStreamContent();
        // items after the end in the same batch still count
        b.add(List.of(tx(A, 1, BinaryStreamContent.startChange("x/y", null, null)), tx(A, 2, BinaryStreamContent.endChange()),
                tx(A, 3, chunk(7))));
        b.add(List.of(tx(A, 4, chunk(8)), tx(A, 5, BinaryStreamContent.startChange("other", null, null))));
        assertArrayEquals(new byte[] {7}, b.bytes());
        assertEquals("x/y", b.info().mimeType());
    }

    @Test
    void malformedItemsAreSkipped() {
        BinaryStreamContent b = new BinaryStreamContent();
        b.add(List.of(tx(A, 1,
                JsonValue.of("start"),
                JsonValue.NULL,
                JsonValue.obj("type", JsonValue.of("chunk")),
                JsonValue.obj("type", JsonValue.of("chunk"), "chunk", JsonValue.of(5)),
                JsonValue.obj("type", JsonValue.of("chunk"), "chunk", JsonValue.of("binary_U!!!")),
                JsonValue.obj("type", JsonValue.of("chunk"), "chunk", JsonValue.of("binary_UaGkh")),
                JsonValue.obj("type", JsonValue.of("start"), "mimeType", JsonValue.of("m"), "totalSizeBytes", JsonValue.of(1.5)),
                JsonValue.obj("type", JsonValue.of("nope")),
                BinaryStreamContent.endChange())));
        assertEquals(new BinaryStreamContent.Info("m", null, null), b.info());
        assertArrayEquals(new byte[] {0x68, 0x69, 0x21}, b.bytes());
    }

    @Test
    void emptyFinishedStream() {
        BinaryStreamContent b = new BinaryStreamContent();
        b.add(List.of(tx(A, 1, BinaryStreamContent.startChange("x/y", null, 0L)), tx(A, 2, BinaryStreamContent.endChange())));
        assertEquals(0, b.chunks(false).size());
        assertArrayEquals(new byte[0], b.bytes());
    }
}
