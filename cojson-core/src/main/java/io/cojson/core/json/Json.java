package io.cojson.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.cojson.core.encoding.InvalidEncodingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses JSON text (with Jackson's streaming parser) into {@link JsonValue}s with {@code JSON.parse}
 * semantics: numbers become doubles (big integers are rounded like JS), duplicate keys keep the
 * first position and the last value, escaped lone surrogates are preserved.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Frames and stored rows can be large (binary streams); do not cap string length.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .maxNestingDepth(1_000)
                    .build())
            .build();

    private Json() {}

    public static JsonFactory factory() {
        return FACTORY;
    }

    /** Parses exactly one JSON value; trailing non-whitespace is an error. */
    public static JsonValue parse(String text) {
        JsonValue fast = JsonCursor.tryParse(text);
        return fast != null ? fast : parseWithJackson(text);
    }

    /** The Jackson path: decides (and words the error) for whatever {@link JsonCursor} does not take. */
    static JsonValue parseWithJackson(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new InvalidJsonException("a JSON value", "empty text");
            JsonValue v = read(p, t);
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

    /** Reads the value starting at the current token {@code t}. */
    public static JsonValue read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                SmallFields.Builder fields = new SmallFields.Builder();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    fields.put(name, read(p, p.nextToken()));
                }
                return new JsonValue.Obj(fields.build());
            }
            case START_ARRAY: {
                List<JsonValue> items = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(p, n));
                }
                return new JsonValue.Arr(items);
            }
            case VALUE_STRING:
                return new JsonValue.Str(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getTextLength() > 18) {
                    // Beyond a long: the correctly rounded double straight from the digits, as
                    // JSON.parse does. (Through BigInteger a 9,000-digit number cost ~1 ms.)
                    return new JsonValue.Num(Double.parseDouble(p.getText()));
                }
                long l = p.getLongValue();
                if (l == 0 && p.getText().startsWith("-")) return new JsonValue.Num(-0.0); // JSON.parse("-0") is -0
                return new JsonValue.Num((double) l);
            case VALUE_NUMBER_FLOAT:
                return new JsonValue.Num(p.getDoubleValue());
            case VALUE_TRUE:
                return JsonValue.TRUE;
            case VALUE_FALSE:
                return JsonValue.FALSE;
            case VALUE_NULL:
                return JsonValue.NULL;
            default:
                throw new InvalidJsonException("a JSON value", "token " + t);
        }
    }
}
