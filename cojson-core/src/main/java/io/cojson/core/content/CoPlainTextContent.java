package io.cojson.core.content;

import io.cojson.core.ids.OpID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.internal.Graphemes;
import io.cojson.core.json.JsNumber;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The CoPlainText view (covalues.md §9): a {@link CoListContent} whose items are single extended
 * grapheme clusters.
 *
 * <p>Editing helpers mirror the reference's {@code RawCoPlainText}. A long insertion is written as
 * several transactions and each one is anchored by <em>index</em> in the view that already contains
 * the previous one (normally: after the previous chunk's last grapheme). Rather than predicting that
 * anchor, the helpers hand every transaction's changes to a {@code writer} that must persist the
 * transaction and deliver it to this view (via {@link #add}) before returning; the next chunk is then
 * planned from the updated view, exactly like the reference.
 */
public final class CoPlainTextContent {
    /** {@code ceil(MAX_RECOMMENDED_TX_SIZE / 200)} = {@code ceil(102400 / 200)}. */
    public static final int MAX_GRAPHEMES_PER_TX = (102400 + 199) / 200;

    private final CoListContent list;

    public CoPlainTextContent() {
        this(new CoListContent());
    }

    public CoPlainTextContent(CoListContent list) {
        this.list = list;
    }

    public CoListContent list() {
        return list;
    }

    public void add(List<DecodedTx> batch) {
        list.add(batch);
    }

    public void add(List<DecodedTx> batch, Predicate<DecodedTx> hidden) {
        list.add(batch, hidden);
    }

    /** Number of visible graphemes. */
    public int length() {
        return list.size();
    }

    public CoPlainTextContent atTime(long t) {
        return new CoPlainTextContent(list.atTime(t));
    }

    public CoPlainTextContent atFrontier(Map<SessionID, Integer> frontier) {
        return new CoPlainTextContent(list.atFrontier(frontier));
    }

    /** The items joined like JS {@code Array.prototype.join("")}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (JsonValue v : list.items()) appendJoined(sb, v);
        return sb.toString();
    }

    /**
     * The grapheme clusters of {@code text} as the reference splits them (unicode-segmenter's
     * state machine, which departs from UAX #29 in a few sequences; see {@link Graphemes}).
     */
    public static List<String> graphemes(String text) {
        return Graphemes.split(text);
    }

    // ---- editing (§9); every method returns the change lists it handed to the writer ------------

    /** {@code insertAfter(idx, text)}: after entry idx; at or past the end, after entry idx-1. */
    public List<List<JsonValue>> insertAfterChanges(int idx, String text, Consumer<List<JsonValue>> writer) {
        List<String> g = graphemes(text);
        return appendChars(g, idx >= list.size() ? idx - 1 : idx, writer);
    }

    /**
     * {@code insertBefore(idx, text)}: at 0 the first grapheme is a {@code pre} before entry 0 (or
     * "end") in its own transaction and the rest is appended after it; otherwise after entry idx-1.
     */
    public List<List<JsonValue>> insertBeforeChanges(int idx, String text, Consumer<List<JsonValue>> writer) {
        List<String> g = graphemes(text);
        if (idx != 0) return appendChars(g, idx - 1, writer);
        List<List<JsonValue>> written = new ArrayList<>();
        if (!g.isEmpty()) {
            written.add(write(list.prependChanges(JsonValue.of(g.get(0)), 0), 1, writer));
        }
        if (g.size() > 1) written.addAll(appendChars(g.subList(1, g.size()), 0, writer));
        return written;
    }

    /**
     * {@code deleteRange({from, to})}: the changes of one transaction with a {@code del} per index in
     * {@code [from, to)}; empty when {@code from >= to} (the reference still writes that transaction).
     */
    public List<JsonValue> deleteRangeChanges(int from, int to) {
        List<JsonValue> ops = new ArrayList<>();
        for (int i = from; i < to; i++) {
            OpID id = list.opIDAt(i);
            if (id == null) throw new IllegalArgumentException("Invalid idx to delete " + i);
            ops.add(CoListContent.delChange(id));
        }
        return ops;
    }

    private List<List<JsonValue>> appendChars(List<String> g, int position, Consumer<List<JsonValue>> writer) {
        List<List<JsonValue>> written = new ArrayList<>();
        for (int i = 0; i < g.size(); i += MAX_GRAPHEMES_PER_TX) {
            List<String> chunk = g.subList(i, Math.min(g.size(), i + MAX_GRAPHEMES_PER_TX));
            List<JsonValue> items = new ArrayList<>(chunk.size());
            for (String s : chunk) items.add(JsonValue.of(s));
            written.add(write(list.appendChanges(items, position), chunk.size(), writer));
            position += chunk.size();
        }
        return written;
    }

    private List<JsonValue> write(List<JsonValue> changes, int inserted, Consumer<List<JsonValue>> writer) {
        int before = list.size();
        writer.accept(changes);
        // A local insertion always anchors on a visible entry, so it must show up once delivered.
        if (list.size() != before + inserted) {
            throw new IllegalStateException("the writer must deliver the written transaction to this view");
        }
        return changes;
    }

    private static void appendJoined(StringBuilder sb, JsonValue v) {
        if (v instanceof JsonValue.Str s) {
            sb.append(s.value());
        } else if (v instanceof JsonValue.Num n) {
            sb.append(JsNumber.toString(n.value()));
        } else if (v instanceof JsonValue.Bool b) {
            sb.append(b.value());
        } else if (v instanceof JsonValue.Arr a) {
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) sb.append(',');
                appendJoined(sb, a.get(i));
            }
        } else if (v instanceof JsonValue.Obj) {
            sb.append("[object Object]");
        } // null and undefined join as ""
    }
}
