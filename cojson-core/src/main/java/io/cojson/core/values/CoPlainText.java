package io.cojson.core.values;

import io.cojson.core.content.CoPlainTextContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Collaborative plain text: a list of extended grapheme clusters (what a user sees as one
 * character, e.g. an emoji with its modifiers). Every index here counts graphemes.
 */
public final class CoPlainText extends CoValue {
    CoPlainText(CojsonNode node, RawCoID id, boolean privateWrites) {
        super(node, id, privateWrites);
    }

    /** This text, writing trusting (unencrypted) transactions. */
    public CoPlainText trusting() {
        return new CoPlainText(node, id, false);
    }

    @Override
    public String toString() {
        return read(CoPlainTextContent.class, CoPlainTextContent::toString);
    }

    /** Number of graphemes. */
    public int length() {
        return read(CoPlainTextContent.class, CoPlainTextContent::length);
    }

    /** The graphemes, in order. */
    public List<String> graphemes() {
        return read(CoPlainTextContent.class, t -> {
            List<JsonValue> items = t.list().items();
            return Collections.unmodifiableList(items.stream().map(v -> v instanceof JsonValue.Str s ? s.value() : "")
                    .collect(Collectors.toList())); // Stream.toList() is not on Android 26
        });
    }

    /** Inserts {@code text} after the grapheme at {@code index}; at or past the end, appends. */
    public CoPlainText insertAfter(int index, String text) {
        LocalNode n = local();
        n.locked(() -> view(n, index).insertAfterChanges(index, text, this::writeChanges));
        return this;
    }

    /** Inserts {@code text} so that it starts at grapheme {@code index}. */
    public CoPlainText insertBefore(int index, String text) {
        LocalNode n = local();
        n.locked(() -> view(n, index).insertBeforeChanges(index, text, this::writeChanges));
        return this;
    }

    /** Deletes graphemes {@code [from, to)}. */
    public CoPlainText deleteRange(int from, int to) {
        edit(CoPlainTextContent.class, t -> {
            if (from < 0 || to > t.length()) throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + t.length());
            return t.deleteRangeChanges(from, to);
        });
        return this;
    }

    /** Calls {@code listener} after every change of this text, or of the groups it depends on. */
    public Subscription subscribe(Consumer<CoPlainText> listener) {
        return listen(() -> listener.accept(this));
    }

    private CoPlainTextContent view(LocalNode n, int index) {
        CoPlainTextContent t = (CoPlainTextContent) n.view(id);
        Objects.checkIndex(index, t.length() + 1);
        return t;
    }

    // The node updates the view it handed out before write returns, as the planner requires.
    private void writeChanges(List<JsonValue> changes) {
        write(changes);
    }
}
