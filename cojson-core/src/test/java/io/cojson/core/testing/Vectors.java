package io.cojson.core.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.encoding.Hex;
import io.cojson.core.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Shared test helper for the conformance vectors under {@code /vectors/} on the test classpath.
 * Loading uses Jackson databind and the conversion to {@link JsonValue} is independent of the code
 * under test ({@code Json.parse} is deliberately not used).
 */
public final class Vectors {
    /** The two providers every crypto-dependent case runs on. */
    public static final List<String> PROVIDERS = List.of("bouncycastle", "lazysodium");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();

    private Vectors() {}

    /** The parsed vector file {@code /vectors/<name>} ({@code ".json"} is added when missing). */
    public static JsonNode load(String name) {
        String file = name.endsWith(".json") ? name : name + ".json";
        return CACHE.computeIfAbsent(file, n -> {
            try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + n)) {
                assertNotNull(in, "vector file /vectors/" + n + " is not on the test classpath");
                return MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The elements of the array at {@code path} inside {@code file}; fails (the calling argument
     * source, and so the test) unless it is a non-empty array, so an emptied or renamed section can
     * never pass silently.
     */
    public static List<JsonNode> cases(String file, String... path) {
        JsonNode node = load(file);
        for (String p : path) node = node.path(p);
        String where = file + ": " + String.join(".", path);
        assertTrue(node.isArray(), where + " is missing or not an array");
        assertTrue(node.size() > 0, where + " has no cases");
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    /** One argument set per case: (label, case), label = {@code prefix + name}. */
    public static Stream<Arguments> named(String prefix, List<JsonNode> cases) {
        return cases.stream().map(c -> Arguments.of(prefix + name(c), c));
    }

    /** One argument set per case and provider: (label, providerName, case). */
    public static Stream<Arguments> perProvider(String prefix, List<JsonNode> cases) {
        return perProvider(prefix, cases, Vectors::name);
    }

    public static Stream<Arguments> perProvider(String prefix, List<JsonNode> cases, Function<JsonNode, String> name) {
        return cases.stream().flatMap(c -> PROVIDERS.stream()
                .map(p -> Arguments.of(prefix + name.apply(c) + " [" + p + "]", p, c)));
    }

    /**
     * The facade on the named provider. Lazysodium must load here: if it does not, the case fails
     * (it is never skipped).
     */
    public static Crypto crypto(String provider) {
        switch (provider) {
            case "bouncycastle":
                return new Crypto(CryptoProviders.bouncyCastle());
            case "lazysodium":
                return new Crypto(CryptoProviders.lazySodium().orElseThrow(
                        () -> new AssertionError("Lazysodium (libsodium) could not be loaded on this machine")));
            default:
                throw new IllegalArgumentException("unknown provider " + provider);
        }
    }

    public static String name(JsonNode c) {
        JsonNode n = c.get("name");
        assertNotNull(n, "vector case without a name: " + c);
        return n.asText();
    }

    /** A required text field of a vector case. */
    public static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        assertNotNull(v, "case " + c.path("name").asText("?") + " has no field " + field);
        assertTrue(v.isTextual(), "case " + c.path("name").asText("?") + ": " + field + " is not a string");
        return v.textValue();
    }

    /** A required hex field, decoded. */
    public static byte[] hex(JsonNode c, String field) {
        return Hex.decode(text(c, field));
    }

    /** A required field converted with {@link #toJsonValue}. */
    public static JsonValue value(JsonNode c, String field) {
        JsonNode v = c.get(field);
        assertNotNull(v, "case " + c.path("name").asText("?") + " has no field " + field);
        return toJsonValue(v);
    }

    /**
     * Converts a vector value to our model. Numbers are IEEE-754 doubles (big integers rounded to the
     * nearest double, as JS does); {@code {"$special": "NaN"|"Infinity"|"-Infinity"|"-0"|"undefined"}}
     * stands for the JS values JSON cannot express. Object key order is kept.
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

    /** {@link #toJsonValue} for a node that must be an object. */
    public static JsonValue.Obj toObj(JsonNode node) {
        JsonValue v = toJsonValue(node);
        assertTrue(v instanceof JsonValue.Obj, "expected a JSON object, found " + node);
        return (JsonValue.Obj) v;
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
}
