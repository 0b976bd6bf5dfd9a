package io.cojson.core.session;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.cojson.core.encoding.InvalidEncodingException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonStrings;
import io.cojson.core.json.JsonValue;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reading and writing transactions the way the reference's Rust core does: a transaction with
 * {@code encryptedChanges, keyUsed, madeAt, privacy} is private, one with {@code changes, madeAt,
 * privacy} is trusting, anything else is malformed; {@code madeAt} must be a u64 integer literal;
 * {@code meta: null} means absent; unknown fields are ignored.
 */
public final class TransactionCodec {
    private TransactionCodec() {}

    private static final Set<String> PRIVATE_FIELDS = Set.of("encryptedChanges", "keyUsed", "madeAt", "meta", "privacy");
    private static final Set<String> TRUSTING_FIELDS = Set.of("changes", "madeAt", "meta", "privacy");

    static void checkFields(String payload, long madeAt) {
        if (payload == null) throw new MalformedTransactionException("a transaction without changes");
        if (madeAt < 0) throw new MalformedTransactionException("Failed to convert made_at to u64: " + madeAt);
    }

    static String canonical(Transaction.Trusting t) {
        // sized for the whole text: the quoted changes and ~60 more (no regrowth copy)
        StringBuilder sb = new StringBuilder(t.quotedChangesLengthHint() + (t.meta() == null ? 0 : t.meta().length() * 9 / 8 + 16) + 64);
        sb.append("{\"changes\":");
        t.appendQuotedChanges(sb);
        sb.append(",\"madeAt\":").append(t.madeAt());
        if (t.meta() != null) {
            sb.append(",\"meta\":");
            JsonStrings.appendQuoted(sb, t.meta());
        }
        return sb.append(",\"privacy\":\"trusting\"}").toString();
    }

    static String canonical(Transaction.Private t) {
        // sized for the whole text (field names and madeAt take ~80 chars): no regrowth copy
        StringBuilder sb = new StringBuilder(t.encryptedChanges().length() + t.keyUsed().length()
                + (t.meta() == null ? 0 : t.meta().length() + 16) + 96);
        sb.append("{\"encryptedChanges\":");
        JsonStrings.appendQuoted(sb, t.encryptedChanges());
        sb.append(",\"keyUsed\":");
        JsonStrings.appendQuoted(sb, t.keyUsed());
        sb.append(",\"madeAt\":").append(t.madeAt());
        if (t.meta() != null) {
            sb.append(",\"meta\":");
            JsonStrings.appendQuoted(sb, t.meta());
        }
        return sb.append(",\"privacy\":\"private\"}").toString();
    }

    static JsonValue.Obj toJson(Transaction.Trusting t) {
        LinkedHashMap<String, JsonValue> m = JsonValue.Obj.freshFields(5);
        m.put("changes", JsonValue.of(t.changes()));
        m.put("madeAt", JsonValue.of(t.madeAt()));
        if (t.meta() != null) m.put("meta", JsonValue.of(t.meta()));
        m.put("privacy", JsonValue.of("trusting"));
        return new JsonValue.Obj(m);
    }

    static JsonValue.Obj toJson(Transaction.Private t) {
        LinkedHashMap<String, JsonValue> m = JsonValue.Obj.freshFields(5);
        m.put("encryptedChanges", JsonValue.of(t.encryptedChanges()));
        m.put("keyUsed", JsonValue.of(t.keyUsed()));
        m.put("madeAt", JsonValue.of(t.madeAt()));
        if (t.meta() != null) m.put("meta", JsonValue.of(t.meta()));
        m.put("privacy", JsonValue.of("private"));
        return new JsonValue.Obj(m);
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The wire JSON of a list of transactions, in canonical key order. */
    public static String toJsonArray(List<Transaction> txs) {
        return appendJsonArray(new StringBuilder(txs.size() * 128), txs).toString();
    }

    /** Appends {@link #toJsonArray}'s text to {@code sb}. */
    public static StringBuilder appendJsonArray(StringBuilder sb, List<Transaction> txs) {
        sb.append('[');
        // in calls of 32: an array of thousands is written a few times per process, and a JVM compiles
        // a method that is called often, not a loop that runs long in one call
        for (int from = 0; from < txs.size(); from += RANGE) appendRange(sb, txs, from, Math.min(txs.size(), from + RANGE));
        return sb.append(']');
    }

    /** Transactions per call of {@link #appendRange}. */
    private static final int RANGE = 32;

    private static void appendRange(StringBuilder sb, List<Transaction> txs, int from, int to) {
        for (int i = from; i < to; i++) {
            if (i > 0) sb.append(',');
            sb.append(txs.get(i).canonicalJson());
        }
    }

    /** Reads a transaction from an already-parsed object (madeAt must be a safe integer). */
    public static Transaction fromJson(JsonValue v) {
        if (!(v instanceof JsonValue.Obj o)) throw new MalformedTransactionException("not an object: " + v);
        Long madeAt = null;
        JsonValue m = o.get("madeAt");
        if (m instanceof JsonValue.Num n) {
            if (!n.isSafeInteger() || n.value() < 0 || (n.value() == 0 && 1 / n.value() < 0)) {
                throw new MalformedTransactionException("Failed to convert made_at to u64: " + n);
            }
            madeAt = n.longValue();
        }
        return build(str(o, "changes"), str(o, "encryptedChanges"), str(o, "keyUsed"), madeAt,
                metaOf(o.get("meta")), str(o, "privacy"), o.has("madeAt"), Set.of());
    }

    /**
     * Parses a JSON array of transactions from text with the exact number rules of the reference:
     * {@code madeAt} must be an integer literal (no fraction, no exponent) in u64 range.
     */
    public static List<Transaction> parseArray(String json) {
        try (JsonParser p = io.cojson.core.json.internal.JacksonJson.factory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) throw new MalformedTransactionException("expected a JSON array of transactions");
            List<Transaction> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) throw new MalformedTransactionException("array item is not an object");
                out.add(readObject(p));
            }
            if (p.nextToken() != null) throw new MalformedTransactionException("trailing content after the array");
            return out;
        } catch (JsonProcessingException e) {
            throw new MalformedTransactionException("Serialization error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one transaction object; the parser is positioned on its START_OBJECT. */
    public static Transaction readObject(JsonParser p) throws IOException {
        String changes = null, encryptedChanges = null, keyUsed = null, meta = null, privacy = null;
        Long madeAt = null;
        boolean hasMadeAt = false;
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            if (!seen.add(name)) duplicated.add(name);
            switch (name) {
                case "changes" -> changes = stringToken(p, vt, name);
                case "encryptedChanges" -> encryptedChanges = stringToken(p, vt, name);
                case "keyUsed" -> keyUsed = stringToken(p, vt, name);
                case "privacy" -> privacy = stringToken(p, vt, name);
                case "meta" -> meta = vt == JsonToken.VALUE_NULL ? null : stringToken(p, vt, name);
                case "madeAt" -> {
                    hasMadeAt = true;
                    if (vt != JsonToken.VALUE_NUMBER_INT) {
                        throw new MalformedTransactionException("Invalid transaction: Failed to convert made_at to u64: " + p.getText());
                    }
                    BigInteger b = p.getBigIntegerValue();
                    // "-0" too: serde_json reads it as the float -0.0, which is not a u64.
                    if (b.signum() < 0 || p.getText().startsWith("-") || b.bitLength() > 63) {
                        throw new MalformedTransactionException("Invalid transaction: Failed to convert made_at to u64: " + b);
                    }
                    madeAt = b.longValue();
                }
                default -> p.skipChildren(); // unknown fields are dropped, as in the reference
            }
        }
        return build(changes, encryptedChanges, keyUsed, madeAt, meta, privacy, hasMadeAt, duplicated);
    }

    /**
     * The reference's untagged enum: the private variant is tried first, then the trusting one. serde
     * fails a variant whose struct sees one of its own fields twice ({@code duplicate field}); a
     * repeated field the variant does not know is ignored like any unknown field.
     */
    private static Transaction build(String changes, String encryptedChanges, String keyUsed, Long madeAt,
            String meta, String privacy, boolean hasMadeAt, Set<String> duplicated) {
        if (hasMadeAt && madeAt == null) throw new MalformedTransactionException("Failed to convert made_at to u64");
        if (encryptedChanges != null && keyUsed != null && madeAt != null && privacy != null
                && Collections.disjoint(duplicated, PRIVATE_FIELDS)) {
            if (!privacy.equals("private")) throw new MalformedTransactionException("private transaction with privacy \"" + privacy + "\"");
            return new Transaction.Private(encryptedChanges, keyUsed, madeAt, meta);
        }
        if (changes != null && madeAt != null && privacy != null && Collections.disjoint(duplicated, TRUSTING_FIELDS)) {
            if (!privacy.equals("trusting")) throw new MalformedTransactionException("trusting transaction with privacy \"" + privacy + "\"");
            return new Transaction.Trusting(changes, madeAt, meta);
        }
        throw new MalformedTransactionException("data did not match any variant of untagged enum Transaction"
                + (duplicated.isEmpty() ? "" : " (duplicate field `" + duplicated.iterator().next() + "`)"));
    }

    private static String stringToken(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) throw new MalformedTransactionException("field " + field + " is not a string");
        return p.getText();
    }

    private static String str(JsonValue.Obj o, String field) {
        JsonValue v = o.get(field);
        if (v == null) return null;
        if (v instanceof JsonValue.Str s) return s.value();
        throw new MalformedTransactionException("field " + field + " is not a string: " + InvalidEncodingException.describe(v.toString()));
    }

    private static String metaOf(JsonValue v) {
        if (v == null || v instanceof JsonValue.Null) return null;
        if (v instanceof JsonValue.Str s) return s.value();
        throw new MalformedTransactionException("meta is not a string");
    }
}
