package io.cojson.core.covalue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoPlainTextContent;
import io.cojson.core.content.CoStreamContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.content.MapOp;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.encoding.Hex;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.core.testing.Vectors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * covalues.json: every case is imported into a fresh node per reader ({@code readAs}) and every
 * target's view must equal the reference's, as JSON text where the reference gives JSON.
 */
class CovaluesVectorTest {
    static Stream<Arguments> readers() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : Vectors.cases("covalues.json", "cases")) {
            for (JsonNode exp : c.get("expected")) {
                out.add(Arguments.of(c.get("name").textValue() + " / as " + exp.get("readAs").textValue(), c, exp));
            }
        }
        assertTrue(out.size() > 0);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void viewsMatchTheReference(String label, JsonNode c, JsonNode expected) {
        Crypto crypto = new Crypto(CryptoProviders.auto());
        JsonNode agent = c.get("agents").get(expected.get("readAs").textValue());
        LocalNode node = LocalNode.forAccount(crypto, new RawCoID(agent.get("accountID").textValue()),
                AgentSecret.parse(agent.get("agentSecret").textValue()), new SessionID(agent.get("sessionID").textValue()));
        for (JsonNode cv : c.get("coValues")) {
            for (JsonNode msg : cv.get("contentMessages")) {
                for (AddResult r : node.importContent(ContentPiece.fromContentMessage(Vectors.toJsonValue(msg)))) {
                    assertTrue(r.isAdded(), cv.get("label").textValue() + ": " + r);
                }
            }
        }
        List<String> mismatches = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> views = expected.get("views").fields();
        while (views.hasNext()) {
            Map.Entry<String, JsonNode> v = views.next();
            compare(node, c, node.require(new RawCoID(v.getKey())), v.getValue(), mismatches);
        }
        assertEquals(List.of(), mismatches);
    }

    private static void check(List<String> mismatches, String what, JsonNode expected, JsonValue actual) {
        String exp = JsonWriter.stringify(Vectors.toJsonValue(expected));
        String act = actual == null ? "null" : JsonWriter.stringify(actual);
        if (!exp.equals(act)) mismatches.add(what + ": expected " + exp + "\n   but got " + act);
    }

    private static void compare(LocalNode node, JsonNode c, CoValueCore core, JsonNode view, List<String> mismatches) {
        String kind = view.get("kind").textValue();
        List<DecodedTx> txs = TransactionDecoder.decode(core, node, node.keys());
        String id = core.id() + " (" + kind + ")";
        switch (kind) {
            case "comap": {
                CoMapContent m = new CoMapContent();
                m.add(txs);
                check(mismatches, id + " toJSON", view.get("toJSON"), m.toJson());
                Iterator<Map.Entry<String, JsonNode>> h = view.get("history").fields();
                while (h.hasNext()) {
                    Map.Entry<String, JsonNode> e = h.next();
                    List<JsonValue> ops = new ArrayList<>();
                    for (MapOp op : m.ops(e.getKey())) ops.add(historyEntry(op));
                    check(mismatches, id + " history." + e.getKey(), e.getValue(), new JsonValue.Arr(ops));
                }
                break;
            }
            case "colist": {
                CoListContent l = new CoListContent();
                l.add(txs);
                check(mismatches, id + " toJSON", view.get("toJSON"), l.toJson());
                List<JsonValue> entries = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    entries.add(JsonValue.obj("value", l.get(i), "madeAt", JsonValue.of(l.editAt(i).at()),
                            "opID", JsonValue.of(l.opIDAt(i).stringify())));
                }
                check(mismatches, id + " entries", view.get("entries"), new JsonValue.Arr(entries));
                break;
            }
            case "coplaintext": {
                CoPlainTextContent t = new CoPlainTextContent();
                t.add(txs);
                check(mismatches, id + " toString", view.get("toString"), JsonValue.of(t.toString()));
                check(mismatches, id + " graphemes", view.get("graphemes"), t.list().toJson());
                break;
            }
            case "costream": {
                CoStreamContent s = new CoStreamContent();
                s.add(txs);
                check(mismatches, id + " toJSON", view.get("toJSON"), s.toJson());
                break;
            }
            case "binarycostream": {
                BinaryStreamContent b = new BinaryStreamContent();
                b.add(txs);
                BinaryStreamContent.Info info = b.info();
                LinkedHashMap<String, JsonValue> im = new LinkedHashMap<>();
                im.put("mimeType", JsonValue.of(info.mimeType()));
                if (info.fileName() != null) im.put("fileName", JsonValue.of(info.fileName()));
                if (info.totalSizeBytes() != null) im.put("totalSizeBytes", JsonValue.of(info.totalSizeBytes()));
                check(mismatches, id + " info", view.get("info"), new JsonValue.Obj(im));
                check(mismatches, id + " finished", view.get("finished"), JsonValue.of(b.finished()));
                List<JsonValue> chunks = new ArrayList<>();
                for (byte[] chunk : b.chunks(false)) chunks.add(JsonValue.of(Hex.encode(chunk)));
                check(mismatches, id + " chunks", view.get("chunks"), new JsonValue.Arr(chunks));
                check(mismatches, id + " bytes", view.get("bytes"), JsonValue.of(Hex.encode(b.bytes())));
                break;
            }
            case "group":
            case "account":
                compareGroup(node, c, core, view, mismatches, id, txs);
                break;
            default:
                mismatches.add(id + ": unknown view kind " + kind);
        }
    }

    private static JsonValue historyEntry(MapOp op) {
        return JsonValue.obj("txID", op.txID().toJson(), "changeIdx", JsonValue.of(op.changeIdx()),
                "madeAt", JsonValue.of(op.madeAt()), "change", op.change(), "trusting", JsonValue.of(op.trusting()));
    }

    private static void compareGroup(LocalNode node, JsonNode c, CoValueCore core, JsonNode view, List<String> mismatches,
            String id, List<DecodedTx> txs) {
        CoMapContent m = new CoMapContent();
        List<DecodedTx> trusting = new ArrayList<>();
        for (DecodedTx t : txs) if (t.trusting()) trusting.add(t);
        m.add(trusting);
        check(mismatches, id + " toJSON", view.get("toJSON"), m.toJson());
        GroupView g = GroupView.of(core, node);
        LinkedHashMap<String, JsonValue> roles = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> agents = c.get("agents").fields();
        while (agents.hasNext()) {
            Map.Entry<String, JsonNode> a = agents.next();
            if (!view.get("roles").has(a.getKey())) continue;
            String role = g.roleOf(a.getValue().get("accountID").textValue(), null, node);
            roles.put(a.getKey(), role == null ? JsonValue.NULL : JsonValue.of(role));
        }
        check(mismatches, id + " roles", view.get("roles"), new JsonValue.Obj(roles));
        String everyone = g.roleOf(Roles.EVERYONE, null, node);
        check(mismatches, id + " everyoneRole", view.get("everyoneRole"), everyone == null ? JsonValue.NULL : JsonValue.of(everyone));
        String myRole = node.myRoleIn(core, null);
        if (core.header().isAccount()) myRole = g.roleOf(node.accountID().value(), null, node);
        check(mismatches, id + " myRole", view.get("myRole"), myRole == null ? JsonValue.NULL : JsonValue.of(myRole));
        check(mismatches, id + " currentReadKeyID", view.get("currentReadKeyID"), JsonValue.of(node.currentKeyID(core).value()));
        LinkedHashMap<String, JsonValue> secrets = new LinkedHashMap<>();
        for (String keyID : new TreeSet<>(iterable(view.get("readKeySecrets").fieldNames()))) {
            secrets.put(keyID, node.keys().readKey(core, new KeyID(keyID)).map(k -> (JsonValue) JsonValue.of(k.value())).orElse(JsonValue.NULL));
        }
        LinkedHashMap<String, JsonValue> expectedSecrets = new LinkedHashMap<>();
        for (String keyID : new TreeSet<>(iterable(view.get("readKeySecrets").fieldNames()))) {
            expectedSecrets.put(keyID, Vectors.toJsonValue(view.get("readKeySecrets").get(keyID)));
        }
        if (!expectedSecrets.equals(secrets)) mismatches.add(id + " readKeySecrets: expected " + expectedSecrets + " got " + secrets);
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
