package io.cojson.core.content;

import static io.cojson.core.content.CoListContentTest.A;
import static io.cojson.core.content.CoListContentTest.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** covalues.md §9: graphemes, chunked inserts, insertBefore(0) and deleteRange shapes. */
class CoPlainTextContentTest {
    /** Writes each transaction as the next one of session A and delivers it to the view. */
    private static final class Writer implements Consumer<List<JsonValue>> {
        final CoPlainTextContent text;
        final List<List<JsonValue>> written = new ArrayList<>();

        Writer(CoPlainTextContent text) {
            this.text = text;
        }

        @Override
        public void accept(List<JsonValue> changes) {
            int idx = written.size();
            written.add(changes);
            text.add(List.of(new DecodedTx(new TransactionID(A, idx), 1000 + idx, changes, true)));
        }
    }

    @Test
    void graphemesAreExtendedClusters() {
        assertEquals(List.of("h", "e\u0301", "l", "l", "o", " ", "👨\u200D👩\u200D👧", " ", "🇩🇪", "!"),
                CoPlainTextContent.graphemes("he\u0301llo 👨‍👩‍👧 🇩🇪!"));
        assertEquals(List.of(), CoPlainTextContent.graphemes(""));
        assertEquals(List.of("\r\n", "a"), CoPlainTextContent.graphemes("\r\na"));
    }

    @Test
    void insertingIntoAnEmptyTextRoundTrips() {
        CoPlainTextContent text = new CoPlainTextContent();
        Writer w = new Writer(text);
        text.insertAfterChanges(0, "he\u0301llo 👨‍👩‍👧 🇩🇪!", w);
        assertEquals("he\u0301llo 👨‍👩‍👧 🇩🇪!", text.toString());
        assertEquals(10, text.length());
        assertEquals(1, w.written.size());
    }

    @Test
    void longInsertsAreChunkedAndEachChunkAnchorsOnThePreviousChunksLastItem() {
        String big = "abcdefghij".repeat(110);
        CoPlainTextContent text = new CoPlainTextContent();
        Writer w = new Writer(text);
        List<List<JsonValue>> txs = text.insertAfterChanges(0, big, w);
        assertEquals(List.of(512, 512, 76), txs.stream().map(List::size).toList());
        assertEquals(w.written, txs);
        assertEquals(JsonValue.of("start"), after(txs.get(0).get(0)), "empty text: natural order after start");
        assertEquals(CoListContent.opIDToJson(op(A, 0, 511)), after(txs.get(1).get(0)));
        assertEquals(CoListContent.opIDToJson(op(A, 1, 0)), after(txs.get(2).get(0)), "chunk 2 was written reversed");
        assertEquals(big, text.toString());

        CoPlainTextContent xy = new CoPlainTextContent();
        Writer w2 = new Writer(xy);
        xy.insertAfterChanges(0, "xy", w2);
        xy.insertAfterChanges(0, big, w2);
        assertEquals("x" + big + "y", xy.toString());
        xy.insertAfterChanges(xy.length(), "!", w2);
        assertEquals("x" + big + "y!", xy.toString());
        xy.insertAfterChanges(1, "@", w2);
        assertEquals("xa@" + big.substring(1) + "y!", xy.toString());
        assertThrows(IllegalArgumentException.class, () -> xy.insertAfterChanges(xy.length() + 1, "?", w2));
    }

    @Test
    void insertBeforeZeroPrependsTheFirstGraphemeAndAppendsTheRest() {
        CoPlainTextContent text = new CoPlainTextContent();
        Writer w = new Writer(text);
        List<List<JsonValue>> first = text.insertBeforeChanges(0, "bc", w);
        assertEquals("[[{\"op\":\"pre\",\"value\":\"b\",\"before\":\"end\"}],"
                + "[{\"op\":\"app\",\"value\":\"c\",\"after\":" + CoListContent.opIDToJson(op(A, 0, 0)) + "}]]", json(first));
        List<List<JsonValue>> second = text.insertBeforeChanges(0, "a1", w);
        assertEquals("[[{\"op\":\"pre\",\"value\":\"a\",\"before\":" + CoListContent.opIDToJson(op(A, 0, 0)) + "}],"
                + "[{\"op\":\"app\",\"value\":\"1\",\"after\":" + CoListContent.opIDToJson(op(A, 2, 0)) + "}]]", json(second));
        assertEquals("a1bc", text.toString());
        text.insertBeforeChanges(3, "X", w);
        assertEquals("a1bXc", text.toString());
        assertEquals(List.of(), text.insertBeforeChanges(0, "", w));
    }

    @Test
    void deleteRangeIsOneTransactionWithADelPerIndex() {
        CoPlainTextContent text = new CoPlainTextContent();
        Writer w = new Writer(text);
        text.insertAfterChanges(0, "abcd", w);
        List<JsonValue> dels = text.deleteRangeChanges(1, 3);
        assertEquals("[{\"op\":\"del\",\"insertion\":" + CoListContent.opIDToJson(op(A, 0, 1)) + "},"
                + "{\"op\":\"del\",\"insertion\":" + CoListContent.opIDToJson(op(A, 0, 2)) + "}]",
                JsonWriter.stringify(new JsonValue.Arr(dels)));
        w.accept(dels);
        assertEquals("ad", text.toString());
        assertEquals(List.of(), text.deleteRangeChanges(1, 1));
        assertThrows(IllegalArgumentException.class, () -> text.deleteRangeChanges(1, 3));
    }

    @Test
    void aWriterThatDoesNotDeliverIsRejected() {
        CoPlainTextContent text = new CoPlainTextContent();
        assertThrows(IllegalStateException.class, () -> text.insertAfterChanges(0, "a", changes -> { }));
    }

    @Test
    void toStringJoinsLikeJavaScript() {
        CoPlainTextContent text = new CoPlainTextContent();
        text.add(List.of(new DecodedTx(new TransactionID(A, 0), 1, List.of(
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(1.5), "after", JsonValue.of("start")),
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.NULL, "after", JsonValue.of("start")),
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.arr(JsonValue.of("a"), JsonValue.NULL, JsonValue.TRUE), "after", JsonValue.of("start")),
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.obj(), "after", JsonValue.of("start"))), true)));
        assertEquals("1.5a,,true[object Object]", text.toString());
    }

    private static JsonValue after(JsonValue change) {
        return ((JsonValue.Obj) change).get("after");
    }

    private static String json(List<List<JsonValue>> txs) {
        List<JsonValue> arrs = new ArrayList<>();
        for (List<JsonValue> t : txs) arrs.add(new JsonValue.Arr(t));
        return JsonWriter.stringify(new JsonValue.Arr(arrs));
    }
}
