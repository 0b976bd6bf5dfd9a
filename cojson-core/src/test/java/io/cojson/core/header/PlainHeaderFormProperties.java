package io.cojson.core.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.StableJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass header form against the two serializations it stands for: whenever it gives bytes,
 * they are exactly the JS stable form and the Rust form; and {@code validate} accepts and rejects
 * (with the same message) exactly what checking both forms does. Headers are drawn from the usual
 * shape and its near misses (other types, escapes, non-ASCII, extra or missing fields, other orders).
 */
class PlainHeaderFormProperties {
    private static final Crypto CRYPTO = new Crypto(CryptoProviders.auto());
    private static final String GROUP = "co_zKwTuvaSxbuPW6GbRUSLrqV3L3K";
    private static final String[] STRINGS = {"", "comap", "z1234abcXYZ", "2026-12-07T02:00:00.000Z", "co_zKwTuvaSxbuPW6GbRUSLrqV3L3K",
        "a\"b", "back\\slash", "tab\there", "caf\u00e9", "\u2028", "\ud83d\ude00", "lone\ud800", "~ !#$%&'()*+,-./:;<=>?@[]^_`{|}",
        "encrypted_Uabc", "binary_Ux\"y", "\u007f", "k\u0000"};

    private static JsonValue string(Random r) {
        return JsonValue.of(STRINGS[r.nextInt(STRINGS.length)]);
    }

    /** A header value for {@code key}: mostly what the usual shape allows, sometimes something else. */
    private static JsonValue value(String key, Random r) {
        int k = r.nextInt(10);
        if (k == 9) {
            JsonValue[] odd = {JsonValue.of(1), JsonValue.of(2.5), JsonValue.of(-0.0), JsonValue.TRUE, JsonValue.NULL,
                new JsonValue.Arr(List.of(JsonValue.of("x"))), JsonValue.obj("n", JsonValue.of(3)), string(r)};
            return odd[r.nextInt(odd.length)];
        }
        switch (key) {
            case "type":
                return k < 7 ? JsonValue.of(r.nextBoolean() ? "comap" : "colist") : string(r);
            case "ruleset":
                return ruleset(r);
            case "meta":
                if (k < 5) return JsonValue.NULL;
                LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) m.put(k < 8 ? "f" + r.nextInt(20) : STRINGS[r.nextInt(STRINGS.length)], k == 8 ? JsonValue.of(i) : string(r));
                return new JsonValue.Obj(m);
            case "createdAt":
                return k < 6 ? JsonValue.of("2026-12-07T02:00:00.000Z") : k < 8 ? JsonValue.NULL : string(r);
            default: // uniqueness
                return k < 4 ? JsonValue.of("z" + Long.toString(r.nextLong() & 0xffffffffL, 36)) : k < 6 ? JsonValue.NULL
                        : k < 7 ? (r.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE) : k < 8 ? JsonValue.of(r.nextInt(100)) : string(r);
        }
    }

    private static JsonValue ruleset(Random r) {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        switch (r.nextInt(4)) {
            case 0 -> {
                m.put("type", JsonValue.of("group"));
                m.put("initialAdmin", r.nextInt(4) == 0 ? string(r) : JsonValue.of("sealer_z1/signer_z2"));
            }
            case 1 -> m.put("type", JsonValue.of("unsafeAllowAll"));
            default -> {
                m.put("type", JsonValue.of("ownedByGroup"));
                m.put("group", JsonValue.of(GROUP));
                if (r.nextInt(4) == 0) m.put("restrictDeletion", r.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE);
            }
        }
        if (r.nextInt(8) == 0) m.put("extra", JsonValue.of("x"));
        List<String> keys = new ArrayList<>(m.keySet());
        if (r.nextBoolean()) Collections.reverse(keys);
        LinkedHashMap<String, JsonValue> out = new LinkedHashMap<>();
        for (String key : keys) out.put(key, m.get(key));
        return new JsonValue.Obj(out);
    }

    /** A header, or null when the constructor refuses it (e.g. a ruleset of the wrong shape). */
    static CoValueHeader header(long seed) {
        Random r = new Random(seed);
        List<String> keys = new ArrayList<>(List.of("type", "ruleset", "meta", "createdAt", "uniqueness"));
        if (r.nextInt(3) == 0) keys.remove("createdAt");
        if (r.nextInt(12) == 0) keys.remove(r.nextInt(keys.size()));
        if (r.nextInt(12) == 0) keys.add("extra");
        Collections.shuffle(keys, r);
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        for (String k : keys) m.put(k, value(k, r));
        try {
            return new CoValueHeader(new JsonValue.Obj(m));
        } catch (InvalidHeaderException e) {
            return null;
        }
    }

    private static String outcome(Runnable check) {
        try {
            check.run();
            return "accepted";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Property(tries = 3000)
    void theOnePassFormIsBothFormsAndValidatesAlike(@ForAll long seed) {
        CoValueHeader h = header(seed);
        if (h == null) return;
        byte[] plain = PlainHeaderForm.bytes(h.json());
        Statistics.collect(plain != null ? "plain" : "other");
        if (plain != null) {
            String text = new String(plain, StandardCharsets.US_ASCII);
            assertEquals(StableJson.stringify(h.json()), text);
            assertEquals(RustHeaderForm.canonical(h.json()), text);
        }
        String js = StableJson.stringify(h.json());
        RawCoID right = CRYPTO.idForHeaderBytes(js.getBytes(StandardCharsets.UTF_8));
        RawCoID wrong = CRYPTO.idForHeaderBytes(new byte[] {(byte) seed});
        for (RawCoID claimed : List.of(right, wrong)) {
            assertEquals(outcome(() -> h.validateBothForms(claimed, CRYPTO)), outcome(() -> h.validate(claimed, CRYPTO)));
        }
    }

    @Example
    void theHeadersCojsonWritesTakeTheOnePath() {
        CoValueHeader map = CoValueHeader.create("comap", new Ruleset.OwnedByGroup(RawCoID.parse(GROUP), false), null,
                "2026-12-07T02:00:00.000Z", JsonValue.of("z5fbs1"));
        CoValueHeader account = CoValueHeader.create("comap", new Ruleset.Group("sealer_z1/signer_z2"),
                JsonValue.obj("type", JsonValue.of("account")), null, JsonValue.NULL);
        for (CoValueHeader h : List.of(map, account)) {
            byte[] plain = PlainHeaderForm.bytes(h.json());
            assertNotNull(plain, h.toString());
            assertEquals(StableJson.stringify(h.json()), new String(plain, StandardCharsets.US_ASCII));
        }
    }

    /** The generator reaches both paths often (else the property would compare little). */
    @Example
    void theGeneratorCoversBothPaths() {
        int plain = 0;
        int other = 0;
        for (long seed = 0; seed < 2000; seed++) {
            CoValueHeader h = header(seed);
            if (h == null) continue;
            if (PlainHeaderForm.bytes(h.json()) != null) plain++;
            else other++;
        }
        assertTrue(plain > 200 && other > 200, plain + " plain, " + other + " other");
    }
}
