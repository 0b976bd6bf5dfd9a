package io.cojson.sync;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Deterministic mutations of valid sync messages for the fuzz properties: text-level (flip,
 * insert, delete, duplicate, truncate) and tree-level (replace any node with a hostile value,
 * drop or rename keys, change the action). A seed gives the same mutation every time.
 */
public final class Mutations {
    private Mutations() {}

    /** The wire text of every message in sync.json (the in-memory scenario, the frames' lines, the constructed cases). */
    public static List<String> validMessages() {
        List<String> out = new ArrayList<>();
        JsonValue.Obj root = SyncVectors.root();
        for (JsonValue m : SyncVectors.arr(SyncVectors.obj(root, "inMemory"), "messages").items()) out.add(SyncVectors.str(m, "wire"));
        for (JsonValue f : SyncVectors.arr(SyncVectors.obj(root, "webSocket"), "frames").items()) {
            for (String line : SyncVectors.str(f, "data").split("\n")) if (!line.isEmpty()) out.add(line);
        }
        for (JsonValue c : SyncVectors.arr(SyncVectors.obj(root, "constructedMessages"), "cases").items()) out.add(SyncVectors.str(c, "wire"));
        return out;
    }

    /** Frames of the WebSocket scenario, as sent. */
    public static List<String> validFrames() {
        List<String> out = new ArrayList<>();
        for (JsonValue f : SyncVectors.arr(SyncVectors.obj(SyncVectors.root(), "webSocket"), "frames").items()) out.add(SyncVectors.str(f, "data"));
        return out;
    }

    /** A valid message with 1 to 4 mutations; the seed shrinks, the message and the rounds too. */
    public static Arbitrary<String> arbitrary(List<String> valid) {
        return Combinators.combine(Arbitraries.of(valid), Arbitraries.longs(), Arbitraries.integers().between(1, 4))
                .as((m, seed, rounds) -> mutate(m, seed, rounds));
    }

    /** {@code rounds} mutations of {@code text}, chosen by {@code seed}. */
    public static String mutate(String text, long seed, int rounds) {
        Random r = new Random(seed);
        String s = text;
        for (int i = 0; i < rounds; i++) s = r.nextBoolean() ? mutateTree(s, r) : mutateText(s, r);
        return s;
    }

    private static final String[] PIECES = {"\n", "\"", "{", "}", "[", "]", ",", ":", "\\", "\\u0000", "\\ud800", "\u2028",
        "null", "true", "-0", "1e309", "\u0000", "\u00e9", "\ud83d\ude00", "co_z", "sealer_z", "_session_z", "\r\n"};

    static String mutateText(String s, Random r) {
        if (s.isEmpty()) return PIECES[r.nextInt(PIECES.length)];
        int at = r.nextInt(s.length() + 1);
        switch (r.nextInt(6)) {
            case 0: // flip one char
                if (at == s.length()) at--;
                return s.substring(0, at) + (char) r.nextInt(0x3000) + s.substring(at + 1);
            case 1: // insert a piece of JSON syntax
                return s.substring(0, at) + PIECES[r.nextInt(PIECES.length)] + s.substring(at);
            case 2: { // delete a range
                int end = Math.min(s.length(), at + 1 + r.nextInt(40));
                return s.substring(0, Math.min(at, s.length())) + s.substring(end);
            }
            case 3: { // duplicate a range
                int end = Math.min(s.length(), at + 1 + r.nextInt(200));
                return s.substring(0, end) + s.substring(Math.min(at, end), end) + s.substring(end);
            }
            case 4: // truncate
                return s.substring(0, at);
            default: // two messages in one line, or one split in two
                return r.nextBoolean() ? s + s : s.substring(0, at) + "\n" + s.substring(at);
        }
    }

    static String mutateTree(String s, Random r) {
        JsonValue v;
        try {
            v = Json.parse(s);
        } catch (RuntimeException e) {
            return mutateText(s, r); // no longer JSON: keep mutating the text
        }
        List<JsonValue> nodes = new ArrayList<>();
        collect(v, nodes);
        JsonValue target = nodes.get(r.nextInt(nodes.size()));
        return JsonWriter.stringify(replace(v, target, r));
    }

    private static void collect(JsonValue v, List<JsonValue> out) {
        out.add(v);
        if (v instanceof JsonValue.Obj o) o.fields().values().forEach(x -> collect(x, out));
        if (v instanceof JsonValue.Arr a) a.items().forEach(x -> collect(x, out));
    }

    private static JsonValue replace(JsonValue v, JsonValue target, Random r) {
        if (v == target) return hostile(v, r);
        if (v instanceof JsonValue.Obj o) {
            LinkedHashMap<String, JsonValue> m = JsonValue.Obj.freshFields();
            for (Map.Entry<String, JsonValue> e : o.fields().entrySet()) m.put(e.getKey(), replace(e.getValue(), target, r));
            return new JsonValue.Obj(m);
        }
        if (v instanceof JsonValue.Arr a) {
            List<JsonValue> items = new ArrayList<>();
            for (JsonValue x : a.items()) items.add(replace(x, target, r));
            return new JsonValue.Arr(items);
        }
        return v;
    }

    /** Something a hostile peer might put where {@code v} was. */
    private static JsonValue hostile(JsonValue v, Random r) {
        switch (r.nextInt(14)) {
            case 0: return JsonValue.NULL;
            case 1: return JsonValue.of(-1);
            case 2: return JsonValue.of(Double.MAX_VALUE);
            case 3: return JsonValue.of(9_007_199_254_740_993d);
            case 4: return JsonValue.of("x".repeat(r.nextInt(100_000)));
            case 5: return JsonValue.of("bad\nline\u2028" + r.nextInt());
            case 6: return JsonValue.arr(v, v);
            case 7: return nested(r.nextInt(1_200));
            case 8: return JsonValue.of(r.nextBoolean() ? "load" : r.nextBoolean() ? "content" : r.nextBoolean() ? "known" : "done");
            case 9: return JsonValue.obj("after", JsonValue.of(r.nextInt(5)), "newTransactions", JsonValue.arr(), "lastSignature", JsonValue.of("signature_z1"));
            case 10: return JsonValue.of(Integer.MAX_VALUE);
            case 11: { // drop a key or rename it
                if (!(v instanceof JsonValue.Obj o) || o.fields().isEmpty()) return JsonValue.obj();
                LinkedHashMap<String, JsonValue> m = JsonValue.Obj.freshFields();
                int skip = r.nextInt(o.fields().size());
                int i = 0;
                for (Map.Entry<String, JsonValue> e : o.fields().entrySet()) {
                    if (i++ == skip) {
                        if (r.nextBoolean()) m.put(e.getKey() + "\n", e.getValue());
                    } else {
                        m.put(e.getKey(), e.getValue());
                    }
                }
                return new JsonValue.Obj(m);
            }
            case 12: return JsonValue.of(v instanceof JsonValue.Str s ? s.value() + "x" : "co_zNotAValue");
            default: return JsonValue.of(0.5);
        }
    }

    private static JsonValue nested(int depth) {
        JsonValue v = JsonValue.of(1);
        for (int i = 0; i < depth; i++) v = JsonValue.arr(v);
        return v;
    }
}
