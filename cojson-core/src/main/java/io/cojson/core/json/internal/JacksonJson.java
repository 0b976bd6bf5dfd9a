package io.cojson.core.json.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.JsonValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Jackson, as cojson configures it: the streaming parser factory and the tree reader behind
 * {@link io.cojson.core.json.Json#parse} (JSON.parse semantics), for cojson's own codecs. Not API:
 * apps see no Jackson type.
 */
public final class JacksonJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Frames and stored rows can be large (binary streams); do not cap string length.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .maxNestingDepth(1_000)
                    .build())
            .build();

    private JacksonJson() {}

    public static JsonFactory factory() {
        return FACTORY;
    }

    /** Reads the value starting at the current token {@code t}. */
    public static JsonValue read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                JsonValue.Obj.Builder fields = new JsonValue.Obj.Builder();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    fields.put(name, read(p, p.nextToken()));
                }
                return fields.build();
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
