package io.cojson.samples.cli;

import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes client answers comparable across implementations and runs: IDs, secrets, signatures,
 * ciphertexts and URLs become placeholders numbered in order of appearance; random header fields
 * and timings are dropped. Everything else is kept verbatim, key order included.
 */
final class ScriptNormalizer {
    private ScriptNormalizer() {}

    static final Pattern ID = Pattern.compile(
            "co_z[1-9A-HJ-NP-Za-km-z]+(_session_z[1-9A-HJ-NP-Za-km-z]+|_session_d[1-9A-HJ-NP-Za-km-z]+\\$)?"
            + "|sealerSecret_z[1-9A-HJ-NP-Za-km-z]+/signerSecret_z[1-9A-HJ-NP-Za-km-z]+"
            + "|sealer_z[1-9A-HJ-NP-Za-km-z]+/signer_z[1-9A-HJ-NP-Za-km-z]+"
            + "|inviteSecret_z[1-9A-HJ-NP-Za-km-z]+"
            + "|signature_z[1-9A-HJ-NP-Za-km-z]+"
            + "|key_z[1-9A-HJ-NP-Za-km-z]+"
            + "|encrypted_U[A-Za-z0-9_=-]+"
            + "|sealedForGroup_U[A-Za-z0-9_=-]+|sealed_U[A-Za-z0-9_=-]+" // key revelations in a group's view
            + "|sealer_z[1-9A-HJ-NP-Za-km-z]+" // a group sealer (after the agent ID pair, which starts the same)
            + "|ws://[0-9.:]+");

    /** Header fields that are random or a timestamp (the header's ID is renamed anyway). */
    static final java.util.Set<String> RANDOM_FIELDS = java.util.Set.of("createdAt", "uniqueness");

    /** IDs, secrets and URLs become placeholders in order of appearance; timings are dropped. */
    static JsonValue normalize(JsonValue v, Map<String, String> names) {
        if (v instanceof JsonValue.Str) {
            String s = ((JsonValue.Str) v).value();
            if (s.startsWith("invalid JSON")) return JsonValue.of("invalid JSON");
            return JsonValue.of(rename(s, names));
        }
        if (v instanceof JsonValue.Arr) {
            List<JsonValue> items = new ArrayList<>();
            for (JsonValue i : ((JsonValue.Arr) v).items()) items.add(normalize(i, names));
            return new JsonValue.Arr(items);
        }
        if (v instanceof JsonValue.Obj) {
            Map<String, JsonValue> out = new LinkedHashMap<>();
            ((JsonValue.Obj) v).fields().forEach((k, x) -> {
                if (RANDOM_FIELDS.contains(k)) out.put(k, JsonValue.of("<" + k + ">"));
                else if (k.equals("knownState") && x instanceof JsonValue.Obj ks) out.put(k, knownState(ks, names));
                else if (!k.equals("elapsedMs") && !k.equals("madeAt")) out.put(rename(k, names), normalize(x, names));
            });
            return new JsonValue.Obj(out);
        }
        return v;
    }

    /**
     * A known state with its sessions ordered by placeholder: the reference keeps sessions in a Rust
     * HashMap (cojson-core-napi), so their order differs from process to process, even between two
     * runs of the reference alone.
     */
    private static JsonValue knownState(JsonValue.Obj ks, Map<String, String> names) {
        JsonValue.Obj n = (JsonValue.Obj) normalize(ks, names);
        if (!(n.get("sessions") instanceof JsonValue.Obj sessions)) return n;
        List<Map.Entry<String, JsonValue>> entries = new ArrayList<>(sessions.fields().entrySet());
        entries.sort(java.util.Comparator.comparingInt(e -> placeholderNumber(e.getKey())));
        Map<String, JsonValue> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : entries) sorted.put(e.getKey(), e.getValue());
        Map<String, JsonValue> out = new LinkedHashMap<>(n.fields());
        out.put("sessions", new JsonValue.Obj(sorted));
        return new JsonValue.Obj(out);
    }

    private static int placeholderNumber(String key) {
        return key.matches("<\\d+>") ? Integer.parseInt(key.substring(1, key.length() - 1)) : Integer.MAX_VALUE;
    }

    static String rename(String s, Map<String, String> names) {
        Matcher m = ID.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(names.computeIfAbsent(m.group(), k -> "<" + names.size() + ">")));
        m.appendTail(b);
        return b.toString();
    }

}
