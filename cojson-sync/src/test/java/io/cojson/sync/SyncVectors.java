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

    static JsonValue.Obj obj(JsonValue v, String key) {
        return (JsonValue.Obj) ((JsonValue.Obj) v).get(key);
    }

    static JsonValue.Arr arr(JsonValue v, String key) {
        return (JsonValue.Arr) ((JsonValue.Obj) v).get(key);
    }

    static String str(JsonValue v, String key) {
        return ((JsonValue.Str) ((JsonValue.Obj) v).get(key)).value();
    }
}
