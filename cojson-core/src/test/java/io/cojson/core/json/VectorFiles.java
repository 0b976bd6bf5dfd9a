package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.testing.Vectors;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Test helper: loads the conformance vector files from the classpath ({@code /vectors/*.json}) with
 * Jackson databind, and converts vector values to {@link JsonValue} independently of the code
 * under test ({@link Json#parse} is deliberately not used here).
 */
public final class VectorFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VectorFiles() {}

    /** The parsed file {@code /vectors/<name>}, e.g. {@code "crypto.json"}. */
    public static JsonNode load(String name) {
        return Vectors.load(name);
    }

    /**
     * The array {@code file[section][list]}; fails the calling test (or argument source) unless it
     * is a non-empty array, so a renamed or emptied section can never pass silently.
     */
    public static List<JsonNode> cases(String file, String section, String list) {
        return Vectors.cases(file, section, list);
    }

    /** A required text field of a vector case. */
    public static String text(JsonNode c, String field) {
        return Vectors.text(c, field);
    }

    /** Converts a vector value to our model ({@code $special} values included); see {@link Vectors}. */
    public static JsonValue toJsonValue(JsonNode node) {
        return Vectors.toJsonValue(node);
    }

    /** Self-check used by tests: the converter keeps the sign of -0 and the object key order. */
    static void sanityCheck() {
        JsonValue v = toJsonValue(MAPPER.createObjectNode().put("$special", "-0"));
        assertTrue(v instanceof JsonValue.Num n && Double.doubleToRawLongBits(n.value()) == Long.MIN_VALUE);
        assertFalse(toJsonValue(MAPPER.createObjectNode().put("$special", "x").put("y", 1)) instanceof JsonValue.Num);
    }
}
