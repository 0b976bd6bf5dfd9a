package io.cojson.sync;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The reference's sync.json, copied from ../shared/vectors into the test resources. */
final class SyncVectors {
    private static JsonValue.Obj root;

    private SyncVectors() {}

    static synchronized JsonValue.Obj root() {
        if (root == null) {
            try (InputStream in = SyncVectors.class.getResourceAsStream("/vectors/sync.json")) {
                if (in == null) throw new IllegalStateException("vectors/sync.json missing from test resources");
                root = (JsonValue.Obj) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** The object under {@code key}; a missing or mistyped entry fails loudly (an emptied vector file must not pass). */
    static JsonValue.Obj obj(JsonValue v, String key) {
        return (JsonValue.Obj) member(v, key, JsonValue.Obj.class);
    }

    /** The array under {@code key}, which must have at least one item: an emptied section would test nothing. */
    static JsonValue.Arr arr(JsonValue v, String key) {
        JsonValue.Arr a = (JsonValue.Arr) member(v, key, JsonValue.Arr.class);
        if (a.items().isEmpty()) throw new IllegalStateException("sync.json: \"" + key + "\" is empty");
        return a;
    }

    static String str(JsonValue v, String key) {
        return ((JsonValue.Str) member(v, key, JsonValue.Str.class)).value();
    }

    private static JsonValue member(JsonValue v, String key, Class<? extends JsonValue> type) {
        if (!(v instanceof JsonValue.Obj o)) throw new IllegalStateException("sync.json: no object around \"" + key + "\": " + v);
        JsonValue m = o.get(key);
        if (!type.isInstance(m)) {
            throw new IllegalStateException("sync.json: \"" + key + "\" is " + (m == null ? "missing" : "not a " + type.getSimpleName() + ": " + m));
        }
        return m;
    }
}
