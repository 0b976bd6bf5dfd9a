package io.cojson.sync.transport.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Frame format of cojson-transport-ws ({@code serialization.ts}): a text frame is one or more
 * {@code JSON.stringify}ed messages joined with {@code \n}. Decoding checks every line the way
 * {@code JSON.parse} would, without building a tree (the protocol layer parses what it keeps), and
 * reads only the top-level keys the transport looks at.
 */
public final class FrameCodec {
    private FrameCodec() {}

    /** What the transport needs to know about one message (one line of a frame). */
    public static final class Head {
        /** The line's JSON text, exactly as received or sent. */
        public final String text;
        /** The line is a JSON object (primitives and arrays are not messages). */
        public final boolean object;
        /** Has an {@code action} key: a sync message, passed to the node. */
        public final boolean hasAction;
        /** The {@code action} value when it is a string, else null. */
        public final String action;
        /** Has a {@code time} key: a ping. */
        public final boolean hasTime;
        /** The ping's {@code time} (ms since epoch) when numeric, else NaN. */
        public final double time;
        /** The {@code priority} value when numeric, else null. */
        public final Integer priority;
        /** The parsed line (received lines only; null for the head of an outgoing message). */
        public final JsonValue value;

        Head(String text, boolean object, boolean hasAction, String action, boolean hasTime, double time, Integer priority) {
            this(text, object, hasAction, action, hasTime, time, priority, null);
        }

        Head(String text, boolean object, boolean hasAction, String action, boolean hasTime, double time, Integer priority,
                JsonValue value) {
            this.text = text;
            this.object = object;
            this.hasAction = hasAction;
            this.action = action;
            this.hasTime = hasTime;
            this.time = time;
            this.priority = priority;
            this.value = value;
        }
    }

    /** A decoded frame: either every line ({@link #lines}) or why the whole frame was dropped. */
    public static final class Decoded {
        public final List<Head> lines;
        public final String error;

        private Decoded(List<Head> lines, String error) {
            this.lines = lines;
            this.error = error;
        }
    }

    private static final String MISMATCH_START = "{\"action\":\"error\"";
    private static final String CONTENT_START = "{\"action\":\"content\"";

    /** Joins messages into one frame. */
    public static String encode(List<String> messages) {
        return String.join("\n", messages);
    }

    /**
     * Splits on {@code \n} and parses every line; if any line is not JSON the whole frame is
     * rejected (the reference's {@code deserializeMessages} fails as a unit). Each head keeps its
     * parsed value, so that the protocol layer does not parse the text again. Callers handle the
     * empty frame before this (it is ignored, not an error).
     */
    public static Decoded decode(String frame) {
        List<Head> lines = new ArrayList<>(1);
        int start = 0;
        while (true) {
            int nl = frame.indexOf('\n', start);
            String line = nl < 0 ? (start == 0 ? frame : frame.substring(start)) : frame.substring(start, nl);
            try {
                lines.add(parseLine(line));
            } catch (IOException | InvalidJsonException e) {
                String why = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
                return new Decoded(Collections.emptyList(), "line " + (lines.size() + 1) + ": " + why);
            }
            if (nl < 0) return new Decoded(lines, null);
            start = nl + 1;
        }
    }

    /**
     * The head of a message about to be sent: {@code action} and {@code priority}, stopping as soon
     * as they are known (they precede {@code new} in the reference's key order). Unparseable text
     * yields a head with neither; the protocol layer only hands over well-formed messages.
     */
    public static Head outgoingHead(String message) {
        try {
            return scan(message);
        } catch (IOException e) {
            return new Head(message, false, false, null, false, Double.NaN, null);
        }
    }

    /** A received line, parsed as {@code JSON.parse} does (the whole line must be one JSON value). */
    private static Head parseLine(String text) throws IOException {
        if (text.startsWith(CONTENT_START) || text.startsWith(MISMATCH_START)) {
            // Messages that carry transactions (a SignatureMismatch: a whole session) are only
            // checked to be JSON here, without a tree; the protocol layer reads them straight
            // into transactions. One pass of our own; Jackson decides what it cannot vouch for.
            Head fast = LineScan.head(text);
            if (fast != null) return fast;
            try (JsonParser p = io.cojson.core.json.internal.JacksonJson.factory().createParser(text)) {
                if (p.nextToken() == null) throw new IOException("empty line is not JSON");
                p.skipChildren();
                expectEnd(p);
            }
            return scan(text);
        }
        // Json.parse: the fast reader for well-formed text, Jackson for the rest (and its errors)
        JsonValue v = Json.parse(text);
        if (!(v instanceof JsonValue.Obj o)) return new Head(text, false, false, null, false, Double.NaN, null, v);
        JsonValue action = o.get("action");
        JsonValue time = o.get("time");
        JsonValue priority = o.get("priority");
        return new Head(text, true, action != null, action instanceof JsonValue.Str s ? s.value() : null,
                time != null, time instanceof JsonValue.Num n ? n.value() : Double.NaN,
                priority instanceof JsonValue.Num n ? Integer.valueOf((int) n.value()) : null, v);
    }

    private static Head scan(String text) throws IOException {
        try (JsonParser p = io.cojson.core.json.internal.JacksonJson.factory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new IOException("empty line is not JSON");
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                expectEnd(p);
                return new Head(text, false, false, null, false, Double.NaN, null);
            }
            boolean hasAction = false;
            String action = null;
            boolean hasTime = false;
            double time = Double.NaN;
            Integer priority = null;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("action".equals(name)) {
                    hasAction = true;
                    action = v == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if ("time".equals(name)) {
                    hasTime = true;
                    time = v.isNumeric() ? p.getDoubleValue() : Double.NaN;
                } else if ("priority".equals(name)) {
                    priority = v.isNumeric() ? (int) p.getDoubleValue() : null;
                }
                p.skipChildren(); // still tokenizes, so nested syntax errors are caught
                // Only content carries a priority, and it precedes the large "new" part.
                if (hasAction && (priority != null || !"content".equals(action))) break;
            }
            return new Head(text, true, hasAction, action, hasTime, time, priority);
        }
    }

    private static void expectEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) throw new IOException("trailing content after the JSON value");
    }
}
