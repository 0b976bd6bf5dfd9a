package io.cojson.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.cojson.core.encoding.InvalidEncodingException;
import io.cojson.core.json.internal.JacksonJson;
import java.io.IOException;

/**
 * Parses JSON text (with Jackson's streaming parser) into {@link JsonValue}s with {@code JSON.parse}
 * semantics: numbers become doubles (big integers are rounded like JS), duplicate keys keep the
 * first position and the last value, escaped lone surrogates are preserved.
 */
public final class Json {
    private Json() {}

    /** Parses exactly one JSON value; trailing non-whitespace is an error. */
    public static JsonValue parse(String text) {
        JsonValue fast = JsonCursor.tryParse(text);
        return fast != null ? fast : parseWithJackson(text);
    }

    /**
     * Map changes written the usual way (see {@code MapChangesReader}), read from the body
     * {@code text[start, end)} of the canonical ASCII string literal they are the value of (only
     * {@code \"} and {@code \\} escapes): the tree {@code parse} gives for the unescaped text, or
     * null for anything else (then decode and {@link #parse}).
     */
    public static JsonValue.Arr readMapChangesLiteral(String text, int start, int end) {
        return MapChangesReader.readLiteral(text, start, end);
    }

    /**
     * List changes written the usual way (see {@code ListChangesReader}), read from the body
     * {@code text[start, end)} of the canonical ASCII string literal they are the value of (only
     * {@code \"} and {@code \\} escapes): the tree {@code parse} gives for the unescaped text
     * (equal values may be shared), or null for anything else (then decode and {@link #parse}).
     */
    public static JsonValue.Arr readListChangesLiteral(String text, int start, int end) {
        return ListChangesReader.readLiteral(text, start, end);
    }

    /** The Jackson path: decides (and words the error) for whatever {@link JsonCursor} does not take. */
    static JsonValue parseWithJackson(String text) {
        try (JsonParser p = JacksonJson.factory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new InvalidJsonException("a JSON value", "empty text");
            JsonValue v = JacksonJson.read(p, t);
            if (p.nextToken() != null) {
                throw new InvalidJsonException("a single JSON value", "trailing content in " + InvalidEncodingException.describe(text));
            }
            return v;
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException("valid JSON", e.getOriginalMessage() + " in " + InvalidEncodingException.describe(text));
        } catch (IOException e) {
            throw new IllegalStateException("I/O error reading a string", e);
        }
    }
}
