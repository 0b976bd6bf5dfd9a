package io.cojson.tools.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.core.json.JsonValue;

/** The client tests' reading of command answers: one command line in, its checked answer out. */
final class ClientReplies {
    private ClientReplies() {}

    /** The answer to {@code line}, which must have succeeded. */
    static JsonValue.Obj ok(ClientCommand c, String line) {
        JsonValue.Obj a = c.handle(line);
        assertEquals(JsonValue.TRUE, a.get("ok"), line + " -> " + a);
        return a;
    }

    /** The error text of the answer to {@code line}, which must have failed. */
    static String error(ClientCommand c, String line) {
        JsonValue.Obj a = c.handle(line);
        assertEquals(JsonValue.FALSE, a.get("ok"), line + " -> " + a);
        return ((JsonValue.Str) a.get("error")).value();
    }

    static String str(JsonValue.Obj o, String key) {
        return ((JsonValue.Str) o.get(key)).value();
    }
}
