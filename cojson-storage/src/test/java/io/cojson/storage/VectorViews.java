package io.cojson.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoPlainTextContent;
import io.cojson.core.content.CoStreamContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.content.MapOp;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.encoding.Hex;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.KeyID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The view comparison of cojson-core's covalues.json test, copied so that this module does not
 * depend on core's test classes: each target's view, as the reader sees it, against the reference.
 */
final class VectorViews {
    private VectorViews() {}

    static JsonValue toJsonValue(JsonNode node) {
        if (node.isNull()) return JsonValue.NULL;
        if (node.isBoolean()) return JsonValue.of(node.booleanValue());
        if (node.isTextual()) return JsonValue.of(node.textValue());
        if (node.isNumber()) return new JsonValue.Num(node.isBigInteger() ? node.bigIntegerValue().doubleValue() : node.doubleValue());
        if (node.isArray()) {
            List<JsonValue> items = new ArrayList<>();
            for (JsonNode item : node) items.add(toJsonValue(item));
            return new JsonValue.Arr(items);
        }
        LinkedHashMap<String, JsonValue> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), toJsonValue(e.getValue())));
        return new JsonValue.Obj(fields);
    }

    /** Mismatches between the node's views and the reader's expected views. */
    static List<String> mismatches(LocalNode node, JsonNode c, JsonNode expected) {
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> views = expected.get("views").fields();
        while (views.hasNext()) {
            Map.Entry<String, JsonNode> v = views.next();
            CoValueCore core = node.get(new io.cojson.core.ids.RawCoID(v.getKey()));
            if (core == null) {
                out.add(v.getKey() + ": not loaded");
                continue;
            }
            node.locked(() -> {
                compare(node, c, core, v.getValue(), out);
                return null;
            });
        }
        return out;
    }

    private static void check(List<String> out, String what, JsonNode expected, JsonValue actual) {
        String exp = JsonWriter.stringify(toJsonValue(expected));
        String act = actual == null ? "null" : JsonWriter.stringify(actual);
        if (!exp.equals(act)) out.add(what + ": expected " + exp + "\n   but got " + act);
    }

    private static void compare(LocalNode node, JsonNode c, CoValueCore core, JsonNode view, List<String> out) {
        String kind = view.get("kind").textValue();
        List<DecodedTx> txs = TransactionDecoder.decode(core, node, node.keys());
        String id = core.id() + " (" + kind + ")";
        switch (kind) {
            case "comap" -> {
                CoMapContent m = new CoMapContent();
                m.add(txs);
                check(out, id + " toJSON", view.get("toJSON"), m.toJson());
                view.get("history").fields().forEachRemaining(e -> {
                    List<JsonValue> ops = new ArrayList<>();
                    for (MapOp op : m.ops(e.getKey())) {
                        ops.add(JsonValue.obj("txID", op.txID().toJson(), "changeIdx", JsonValue.of(op.changeIdx()), "madeAt",
                                JsonValue.of(op.madeAt()), "change", op.change(), "trusting", JsonValue.of(op.trusting())));
                    }
                    check(out, id + " history." + e.getKey(), e.getValue(), new JsonValue.Arr(ops));
                });
            }
            case "colist" -> {
                CoListContent l = new CoListContent();
                l.add(txs);
                check(out, id + " toJSON", view.get("toJSON"), l.toJson());
                List<JsonValue> entries = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    entries.add(JsonValue.obj("value", l.get(i), "madeAt", JsonValue.of(l.editAt(i).at()), "opID",
                            JsonValue.of(l.opIDAt(i).stringify())));
                }
                check(out, id + " entries", view.get("entries"), new JsonValue.Arr(entries));
            }
            case "coplaintext" -> {
                CoPlainTextContent t = new CoPlainTextContent();
                t.add(txs);
                check(out, id + " toString", view.get("toString"), JsonValue.of(t.toString()));
                check(out, id + " graphemes", view.get("graphemes"), t.list().toJson());
            }
            case "costream" -> {
                CoStreamContent s = new CoStreamContent();
                s.add(txs);
                check(out, id + " toJSON", view.get("toJSON"), s.toJson());
            }
            case "binarycostream" -> {
                BinaryStreamContent b = new BinaryStreamContent();
                b.add(txs);
                BinaryStreamContent.Info info = b.info();
                LinkedHashMap<String, JsonValue> im = new LinkedHashMap<>();
                im.put("mimeType", JsonValue.of(info.mimeType()));
                if (info.fileName() != null) im.put("fileName", JsonValue.of(info.fileName()));
                if (info.totalSizeBytes() != null) im.put("totalSizeBytes", JsonValue.of(info.totalSizeBytes()));
                check(out, id + " info", view.get("info"), new JsonValue.Obj(im));
                check(out, id + " finished", view.get("finished"), JsonValue.of(b.finished()));
                List<JsonValue> chunks = new ArrayList<>();
                for (byte[] chunk : b.chunks(false)) chunks.add(JsonValue.of(Hex.encode(chunk)));
                check(out, id + " chunks", view.get("chunks"), new JsonValue.Arr(chunks));
                check(out, id + " bytes", view.get("bytes"), JsonValue.of(Hex.encode(b.bytes())));
            }
            case "group", "account" -> compareGroup(node, c, core, view, out, id, txs);
            default -> out.add(id + ": unknown view kind " + kind);
        }
    }

    private static void compareGroup(LocalNode node, JsonNode c, CoValueCore core, JsonNode view, List<String> out, String id,
            List<DecodedTx> txs) {
        CoMapContent m = new CoMapContent();
        List<DecodedTx> trusting = new ArrayList<>();
        for (DecodedTx t : txs) if (t.trusting()) trusting.add(t);
        m.add(trusting);
        check(out, id + " toJSON", view.get("toJSON"), m.toJson());
        GroupView g = GroupView.of(core, node);
        LinkedHashMap<String, JsonValue> roles = new LinkedHashMap<>();
        c.get("agents").fields().forEachRemaining(a -> {
            if (!view.get("roles").has(a.getKey())) return;
            String role = g.roleOf(a.getValue().get("accountID").textValue(), null, node);
            roles.put(a.getKey(), role == null ? JsonValue.NULL : JsonValue.of(role));
        });
        check(out, id + " roles", view.get("roles"), new JsonValue.Obj(roles));
        String everyone = g.roleOf(Roles.EVERYONE, null, node);
        check(out, id + " everyoneRole", view.get("everyoneRole"), everyone == null ? JsonValue.NULL : JsonValue.of(everyone));
        String myRole = core.header().isAccount() ? g.roleOf(node.accountID().value(), null, node) : node.myRoleIn(core, null);
        check(out, id + " myRole", view.get("myRole"), myRole == null ? JsonValue.NULL : JsonValue.of(myRole));
        check(out, id + " currentReadKeyID", view.get("currentReadKeyID"), JsonValue.of(node.currentKeyID(core).value()));
        LinkedHashMap<String, JsonValue> secrets = new LinkedHashMap<>();
        LinkedHashMap<String, JsonValue> expectedSecrets = new LinkedHashMap<>();
        TreeSet<String> keyIDs = new TreeSet<>();
        view.get("readKeySecrets").fieldNames().forEachRemaining(keyIDs::add);
        for (String keyID : keyIDs) {
            secrets.put(keyID, node.keys().readKey(core, new KeyID(keyID)).map(k -> (JsonValue) JsonValue.of(k.value())).orElse(JsonValue.NULL));
            expectedSecrets.put(keyID, toJsonValue(view.get("readKeySecrets").get(keyID)));
        }
        if (!expectedSecrets.equals(secrets)) out.add(id + " readKeySecrets: expected " + expectedSecrets + " got " + secrets);
    }
}
