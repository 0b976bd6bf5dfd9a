package io.cojson.core.header;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.StableJson;
import java.nio.charset.StandardCharsets;

/**
 * A CoValue header. The JSON is kept exactly as created or received (its key order goes on the
 * wire); the ID is {@code co_z} + base58(BLAKE3(stableStringify(header))[0..19]).
 *
 * <p>A value class with a record's accessor, equality and string form (by the JSON); a class so
 * that it keeps the ruleset it validated: the ruleset is asked for many times per value (kind,
 * privacy, validation) and reading it from the JSON each time was ~5 % of a cold load.
 */
public final class CoValueHeader {
    private final JsonValue.Obj json;
    private final Ruleset ruleset;

    public CoValueHeader(JsonValue.Obj json) {
        if (!(json.get("type") instanceof JsonValue.Str)) {
            throw new InvalidHeaderException("header with a string \"type\"", json.toString());
        }
        this.ruleset = Ruleset.fromJson(json.get("ruleset"));
        this.json = json;
    }

    /** The header's JSON, as created or received. */
    public JsonValue.Obj json() {
        return json;
    }

    /** Builds a header in the reference's key order: type, ruleset, meta, [createdAt,] uniqueness. */
    public static CoValueHeader create(String type, Ruleset ruleset, JsonValue meta, String createdAt, JsonValue uniqueness) {
        java.util.LinkedHashMap<String, JsonValue> m = new java.util.LinkedHashMap<>();
        m.put("type", JsonValue.of(type));
        m.put("ruleset", ruleset.toJson());
        m.put("meta", meta == null ? JsonValue.NULL : meta);
        m.put("createdAt", createdAt == null ? JsonValue.NULL : JsonValue.of(createdAt));
        m.put("uniqueness", uniqueness == null ? JsonValue.NULL : uniqueness);
        return new CoValueHeader(new JsonValue.Obj(m));
    }

    private static final java.time.format.DateTimeFormatter ISO_MILLIS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** {@code new Date(epochMs).toISOString()}: UTC, always milliseconds, {@code Z}. */
    public static String isoTimestamp(long epochMs) {
        return ISO_MILLIS.format(java.time.Instant.ofEpochMilli(epochMs));
    }

    public String type() {
        return ((JsonValue.Str) json.get("type")).value();
    }

    public Ruleset ruleset() {
        return ruleset;
    }

    /** The meta object, or JSON null. */
    public JsonValue meta() {
        JsonValue m = json.get("meta");
        return m == null ? JsonValue.NULL : m;
    }

    public boolean isAccount() {
        return meta() instanceof JsonValue.Obj m && m.get("type") instanceof JsonValue.Str s && s.value().equals("account");
    }

    public String stableJson() {
        return StableJson.stringify(json);
    }

    /** The JS-side ID (what every peer computes from the header). */
    public RawCoID id(Crypto crypto) {
        return crypto.idForHeaderBytes(stableJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks the header the way a reference peer does before importing it: its ID must equal
     * {@code claimedId}, and its Rust re-serialization must give the same ID (otherwise JS peers
     * reject it with "CoValue ID mismatch"). Throws {@link InvalidHeaderException}.
     */
    public void validate(RawCoID claimedId, Crypto crypto) {
        byte[] plain = PlainHeaderForm.bytes(json); // both forms at once, for the usual shape
        if (plain != null && crypto.idForHeaderBytes(plain).equals(claimedId)) return;
        validateBothForms(claimedId, crypto); // and the exact error when the IDs differ
    }

    /** {@link #validate} by serializing the header both ways (any header; the reference check). */
    void validateBothForms(RawCoID claimedId, Crypto crypto) {
        String jsForm = stableJson();
        RawCoID jsId = crypto.idForHeaderBytes(jsForm.getBytes(StandardCharsets.UTF_8));
        String rustForm = RustHeaderForm.canonical(json);
        // the two forms differ only for unusual headers: hash the text once when they agree
        RawCoID rustId = rustForm.equals(jsForm) ? jsId : crypto.idForHeaderBytes(rustForm.getBytes(StandardCharsets.UTF_8));
        if (!rustId.equals(claimedId)) {
            // Same text as the reference: "expected" is the ID computed from the header, "got" the claimed one.
            throw new InvalidHeaderException("header whose ID is " + claimedId, "CoValue ID mismatch: expected "
                    + rustId + ", got " + claimedId + (jsId.equals(rustId) ? "" : " (JS form gives " + jsId + ")"));
        }
        if (!jsId.equals(claimedId)) {
            throw new InvalidHeaderException("header whose ID is " + claimedId, "JS form gives " + jsId);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoValueHeader h && h.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
