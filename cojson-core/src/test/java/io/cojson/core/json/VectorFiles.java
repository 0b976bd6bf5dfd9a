package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test helper: loads the conformance vector files from the classpath ({@code /vectors/*.json}) with
 * Jackson databind, and converts vector values to {@link JsonValue} independently of the code
 * under test ({@link Json#parse} is deliberately not used here).
 */
public final class VectorFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();

    private VectorFiles() {}

    /** The parsed file {@code /vectors/<name>}, e.g. {@code "crypto.json"}. */
    public static JsonNode load(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = VectorFiles.class.getResourceAsStream("/vectors/" + n)) {
                assertNotNull(in, "vector file /vectors/" + n + " is not on the test classpath");
                return MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The array {@code file[section][list]}; fails the calling test (or argument source) unless it
     * is a non-empty array, so a renamed or emptied section can never pass silently.
     */
    public static List<JsonNode> cases(String file, String section, String list) {
        JsonNode node = load(file).path(section).path(list);
        assertTrue(node.isArray(), file + ": " + section + "." + list + " is missing or not an array");
        assertTrue(node.size() > 0, file + ": " + section + "." + list + " has no cases");
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    /** A required text field of a vector case. */
    public static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        assertNotNull(v, "case " + c.path("name").asText("?") + " has no field " + field);
        assertTrue(v.isTextual(), "case " + c.path("name").asText("?") + ": " + field + " is not a string");
        return v.textValue();
    }

    /**
     * Converts a vector value to our model. {@code {"$special": "NaN"|"Infinity"|"-Infinity"|"-0"|"undefined"}}
     * stands for the JS values JSON cannot express. Numbers are IEEE-754 doubles; big integers are
     * rounded to the nearest double (as JS does).
     */
    public static JsonValue toJsonValue(JsonNode node) {
        if (node == null || node.isMissingNode()) throw new IllegalArgumentException("missing node");
        if (node.isNull()) return JsonValue.NULL;
        if (node.isBoolean()) return node.booleanValue() ? JsonValue.TRUE : JsonValue.FALSE;
        if (node.isTextual()) return new JsonValue.Str(node.textValue());
        if (node.isNumber()) {
            if (node.isBigInteger()) return new JsonValue.Num(node.bigIntegerValue().doubleValue());
            return new JsonValue.Num(node.doubleValue());
        }
        if (node.isArray()) {
            List<JsonValue> items = new ArrayList<>();
            for (JsonNode item : node) items.add(toJsonValue(item));
            return new JsonValue.Arr(items);
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.has("$special")) return special(node.get("$special").asText());
            LinkedHashMap<String, JsonValue> fields = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), toJsonValue(e.getValue()));
            }
            return new JsonValue.Obj(fields);
        }
        throw new IllegalArgumentException("unsupported node type " + node.getNodeType());
    }

    private static JsonValue special(String s) {
        switch (s) {
            case "NaN":
                return new JsonValue.Num(Double.NaN);
            case "Infinity":
                return new JsonValue.Num(Double.POSITIVE_INFINITY);
            case "-Infinity":
                return new JsonValue.Num(Double.NEGATIVE_INFINITY);
            case "-0":
                return new JsonValue.Num(-0.0);
            case "undefined":
                return JsonValue.UNDEFINED;
            default:
                throw new IllegalArgumentException("unknown $special " + s);
        }
    }

    /** Self-check used by tests: the converter keeps the sign of -0 and the object key order. */
    static void sanityCheck() {
        JsonValue v = toJsonValue(MAPPER.createObjectNode().put("$special", "-0"));
        assertTrue(v instanceof JsonValue.Num n && Double.doubleToRawLongBits(n.value()) == Long.MIN_VALUE);
        assertFalse(toJsonValue(MAPPER.createObjectNode().put("$special", "x").put("y", 1)) instanceof JsonValue.Num);
    }
}
