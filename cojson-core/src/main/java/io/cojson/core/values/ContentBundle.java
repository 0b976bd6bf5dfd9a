package io.cojson.core.values;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentPiece;
import java.util.ArrayList;
import java.util.List;

/**
 * Content exported from one node for another, in import order ({@link CojsonNode#exportContent}):
 * immutable. {@link #toJson()} is its text, a JSON array of content messages, which {@link
 * CojsonNode#importContentText} reads back (also on another device or after a restart).
 */
public final class ContentBundle {
    private final List<ContentPiece> pieces;

    ContentBundle(List<ContentPiece> pieces) {
        this.pieces = List.copyOf(pieces);
    }

    List<ContentPiece> pieces() {
        return pieces;
    }

    /** The number of content messages. */
    public int size() {
        return pieces.size();
    }

    public boolean isEmpty() {
        return pieces.isEmpty();
    }

    /** A JSON array of content messages, as the reference's {@code newContentSince} gives them. */
    public String toJson() {
        List<JsonValue> messages = new ArrayList<>(pieces.size());
        for (ContentPiece p : pieces) messages.add(p.toContentMessage());
        return JsonWriter.stringify(new JsonValue.Arr(messages));
    }

    @Override
    public String toString() {
        return "ContentBundle(" + pieces.size() + " content messages)";
    }
}
