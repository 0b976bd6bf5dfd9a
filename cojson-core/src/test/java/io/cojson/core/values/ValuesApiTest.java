package io.cojson.core.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.PermissionDeniedException;
import io.cojson.core.session.Transaction;
import io.cojson.core.testing.Millis;
import io.cojson.core.values.internal.TypedNodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The typed API against the reference's semantics, across two and three nodes. */
class ValuesApiTest {
    private static final Crypto CRYPTO = Crypto.create();
    /**
     * One ticking clock for every node: concurrent edits made in the same millisecond by different
     * sessions are ordered by arrival (as in the reference), so peers could legitimately disagree.
     */
    private static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000L);

    private final CojsonNode alice = account("Alice");
    private final CojsonNode bob = account("Bob");

    private static CojsonNode account(String name) {
        return TypedNodes.of(Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), name, CLOCK::incrementAndGet));
    }

    /** Alice knows Bob's account, and Bob is a writer of a new group of Alice's. */
    private Group sharedGroup() {
        alice.importContent(bob.exportContent(bob.accountID()));
        Group g = alice.createGroup();
        g.addMember(bob.accountID(), Role.WRITER);
        return g;
    }

    private static TxEntry lastEntry(CoValue v) {
        List<TxEntry> es = TypedNodes.localNode(v.node()).require(v.id()).entries();
        return es.get(es.size() - 1);
    }

    private static Transaction lastTx(CoValue v) {
        return lastEntry(v).transaction();
    }

    private static JsonValue rebuilt(CojsonNode n, RawCoID id) {
        LocalNode l = TypedNodes.localNode(n);
        CoValueCore core = l.require(id);
        switch (CoValueKind.of(core.header())) {
            case COLIST: {
                CoListContent c = new CoListContent();
                c.add(TransactionDecoder.decode(core, l, l.keys()));
                return c.toJson();
            }
            case COMAP: {
                CoMapContent c = new CoMapContent();
                c.add(TransactionDecoder.decode(core, l, l.keys()));
                return c.toJson();
            }
            default:
                throw new IllegalArgumentException(id.toString());
        }
    }

    /** A bundle's text is what {@code importContentText} reads: a save and a later load give the same value. */
    @Test
    void aContentBundleSavedAsTextLoadsIntoAnotherNode() {
        Group g = sharedGroup();
        CojsonNode carol = account("Carol");
        alice.importContent(carol.exportContent(carol.accountID()));
        g.addMember(carol.accountID(), Role.READER);
        CoMap m = g.createMap(Map.of("a", JsonValue.of(1)));
        m.set("s", "text");
        ContentBundle bundle = alice.exportContent(m.id());
        assertTrue(bundle.size() >= 3, "the map with its group and Alice's account: " + bundle);
        String saved = bundle.toJson();
        assertInstanceOf(JsonValue.Arr.class, Json.parse(saved));
        assertEquals(bundle.size(), ((JsonValue.Arr) Json.parse(saved)).items().size());
        bob.importContentText(saved);
        assertEquals(m.toJson(), bob.map(m.id()).toJson());
        carol.importContent(bundle);
        assertEquals(m.toJson(), carol.map(m.id()).toJson(), "the bundle itself imports the same");
    }

    @Test
    void mapSetGetDeleteHistoryAndPrivacy() {
        Group g = alice.createGroup();
        CoMap m = g.createMap(Map.of("a", JsonValue.of(1)));
        assertTrue(m.writesPrivately());
        m.set("s", "text").set("n", 2.5).set("b", true).set("l", 7L).set("2", "index keys sort first");
        assertInstanceOf(Transaction.Private.class, lastTx(m), "values in groups are encrypted");
        assertEquals("{\"2\":\"index keys sort first\",\"a\":1,\"s\":\"text\",\"n\":2.5,\"b\":true,\"l\":7}", m.toJson().toString());
        assertEquals(List.of("2", "a", "s", "n", "b", "l"), m.keys());
        assertEquals("text", m.getString("s"));
        assertNull(m.getString("n"));
        long before = m.lastEditAt("s").at();
        m.delete("s");
        assertNull(m.get("s"));
        assertFalse(m.keys().contains("s"));
        Edit del = m.lastEditAt("s");
        assertNull(del.value());
        assertEquals(alice.accountID().value(), del.by());
        assertEquals(JsonValue.of("text"), m.atTime(before).get("s"));
        assertNull(m.lastEditAt("never"));

        m.trusting().set("t", JsonValue.NULL);
        assertInstanceOf(Transaction.Trusting.class, lastTx(m));
        assertEquals(JsonValue.NULL, m.get("t"));
        m.set("ref", g);
        assertEquals(g.id().value(), m.getString("ref"));
        assertThrows(UnsupportedOperationException.class, () -> m.keys().add("x"), "reads are immutable");
    }

    @Test
    void listAppendPrependInsertDeleteReplace() {
        Group g = alice.createGroup();
        CoList l = g.createList(List.of(JsonValue.of("a"), JsonValue.of("b")));
        assertEquals("[\"a\",\"b\"]", l.toJson().toString(), "init items keep their order");
        l.append("c");
        l.append(JsonValue.of("x"), 0);                       // right after "a"
        assertEquals("[\"a\",\"x\",\"b\",\"c\"]", l.toJson().toString());
        l.prepend(JsonValue.of("p"));
        l.prepend(JsonValue.of("q"), l.size());               // before "end"
        assertEquals("[\"p\",\"a\",\"x\",\"b\",\"c\",\"q\"]", l.toJson().toString());
        l.insert(2, JsonValue.of("i"));
        l.insert(0, JsonValue.of("first"));
        l.insert(l.size(), JsonValue.of("last"));
        assertEquals("[\"first\",\"p\",\"a\",\"i\",\"x\",\"b\",\"c\",\"q\",\"last\"]", l.toJson().toString());
        l.replace(2, JsonValue.of("A"));
        assertEquals(2, lastEntry(l).changes().size(), "replace: app after the item and its deletion, one transaction");
        l.delete(1);
        assertEquals("[\"first\",\"A\",\"i\",\"x\",\"b\",\"c\",\"q\",\"last\"]", l.toJson().toString());
        l.appendAll(List.of(JsonValue.of(1), JsonValue.of(2)));
        assertEquals(List.of(JsonValue.of(1), JsonValue.of(2)), l.items().subList(8, 10));
        assertEquals(JsonValue.of("A"), l.get(1));
        assertEquals(alice.accountID().value(), l.editAt(1).by());
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(10));
        assertThrows(IndexOutOfBoundsException.class, () -> l.delete(10));
        assertThrows(IndexOutOfBoundsException.class, () -> l.insert(11, JsonValue.of(0)));
        assertEquals(rebuilt(alice, l.id()), l.toJson());

        CoList empty = g.createList();
        empty.append(JsonValue.of("only"), 0);
        assertEquals("[\"only\"]", empty.toJson().toString());
    }

    @Test
    void plainTextEditsCountGraphemes() {
        Group g = alice.createGroup();
        String thumbs = "\uD83D\uDC4D\uD83C\uDFFD";              // 👍🏽: two code points, one grapheme
        String eAcute = "e\u0301";                              // e + combining acute: one grapheme
        CoPlainText t = g.createPlainText("h" + eAcute + "llo " + thumbs);
        assertEquals(7, t.length());
        assertEquals(thumbs, t.graphemes().get(6));
        t.insertAfter(4, ",");                                  // after "o"
        t.insertBefore(0, "¡");
        t.insertAfter(t.length(), "!");                         // at the end: appends
        assertEquals("¡h" + eAcute + "llo, " + thumbs + "!", t.toString());
        t.deleteRange(1, 3);                                    // "h" and "é" together
        assertEquals("¡llo, " + thumbs + "!", t.toString());
        t.insertBefore(6, "ok");
        assertEquals("¡llo, ok" + thumbs + "!", t.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> t.insertAfter(99, "x"));

        CoPlainText big = g.createPlainText("x".repeat(1200));  // several transactions, each anchored on the last
        assertEquals(1200, big.length());
        big.insertBefore(600, "y".repeat(700));
        assertEquals("x".repeat(600) + "y".repeat(700) + "x".repeat(600), big.toString());
    }

    @Test
    void streamsKeepOneFeedPerSession() {
        Group g = sharedGroup();
        CoStream s = g.createStream();
        s.push("a1").push(JsonValue.of(2));
        bob.importContent(alice.exportContent(s.id()));
        CoStream bobs = bob.stream(s.id());
        bobs.push("b1");
        alice.importContent(bob.exportContent(s.id()));
        s.push("a3");
        bob.importContent(alice.exportContent(s.id()));

        assertEquals(2, s.sessions().size());
        assertEquals(s.toJson(), bobs.toJson());
        List<JsonValue> byAlice = new ArrayList<>();
        for (StreamItem i : bobs.itemsBy(alice.accountID())) byAlice.add(i.value());
        assertEquals(List.of(JsonValue.of("a1"), JsonValue.of(2), JsonValue.of("a3")), byAlice);
        assertEquals(JsonValue.of("b1"), s.lastItemBy(bob.accountID().value()).value());
        assertEquals(bob.accountID().value(), s.lastItemBy(bob.accountID().value()).by());
    }

    @Test
    void binaryStreamRoundTripsOneMegabyte() {
        Group g = sharedGroup();
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        BinaryCoStream f = g.createBinaryStream();
        assertNull(f.bytes());
        f.write(data, "application/octet-stream", "blob.bin", 64 * 1024);
        assertTrue(f.finished());
        assertEquals(new BinaryInfo("application/octet-stream", "blob.bin", (long) data.length), f.info());
        assertArrayEquals(data, f.bytes());
        assertEquals(1 + 16 + 1, TypedNodes.localNode(alice).require(f.id()).entries().size(), "start, 16 chunks, end");

        bob.importContent(alice.exportContent(f.id()));
        BinaryCoStream received = bob.binaryStream(f.id());
        assertArrayEquals(data, received.bytes());
        assertEquals("blob.bin", received.info().fileName());
    }

    @Test
    void twoNodesConverge() {
        Group g = sharedGroup();
        CoMap m = g.createMap();
        CoList l = g.createList();
        m.set("title", "draft");
        l.append("one");
        bob.importContent(alice.exportContent(m.id()));
        bob.importContent(alice.exportContent(l.id()));
        CoMap bm = bob.map(m.id());
        CoList bl = bob.list(l.id());
        assertEquals("draft", bm.getString("title"));
        assertEquals(Role.WRITER, bob.group(g.id()).myRole());

        m.set("title", "alice's").set("a", 1);                  // concurrent edits on both sides
        l.append("from alice");
        bm.set("b", 2);
        bl.prepend(JsonValue.of("from bob"));
        bl.append("bob's end");
        alice.importContent(bob.exportContent(m.id()));
        alice.importContent(bob.exportContent(l.id()));
        bob.importContent(alice.exportContent(m.id()));
        bob.importContent(alice.exportContent(l.id()));

        assertEquals(m.toJson(), bm.toJson());
        assertEquals(l.toJson(), bl.toJson());
        assertEquals(List.of("title", "a", "b"), m.keys());
        assertEquals(4, l.size());
        assertEquals(JsonValue.of("from bob"), l.get(0));
        assertEquals(rebuilt(bob, l.id()), bl.toJson());
        assertEquals("Alice", bob.account(alice.accountID()).name(), "the profile came along");
        assertEquals("Bob", bob.account().name());
    }

    @Test
    void subscriptionsFireForLocalAndImportedChangesUntilClosed() {
        Group g = sharedGroup();
        CoMap m = g.createMap();
        bob.importContent(alice.exportContent(m.id()));
        List<JsonValue> seenByAlice = new ArrayList<>();
        List<JsonValue> seenByBob = new ArrayList<>();
        Subscription sa = m.subscribe(v -> seenByAlice.add(v.get("k")));
        Subscription sb = bob.map(m.id()).subscribe(v -> seenByBob.add(v.get("k")));
        m.set("k", 1);
        assertEquals(List.of(JsonValue.of(1)), seenByAlice, "local write, value already visible");
        bob.importContent(alice.exportContent(m.id()));
        assertEquals(JsonValue.of(1), seenByBob.get(seenByBob.size() - 1), "imported change");

        AtomicInteger fromListener = new AtomicInteger();
        CoMap other = g.createMap();
        try (Subscription chained = m.subscribe(v -> other.set("echo", fromListener.incrementAndGet()))) {
            m.set("k", 2);                                      // a listener may write to the node
        }
        assertEquals(JsonValue.of(1), other.get("echo"));

        sa.close();
        sb.close();
        sa.close();                                             // idempotent
        int a = seenByAlice.size();
        int b = seenByBob.size();
        m.set("k", 3);
        bob.importContent(alice.exportContent(m.id()));
        assertEquals(a, seenByAlice.size());
        assertEquals(b, seenByBob.size());
        assertEquals(JsonValue.of(3), bob.map(m.id()).get("k"));
    }

    @Test
    void typedGettersCheckTheHeader() {
        Group g = alice.createGroup();
        CoMap m = g.createMap();
        CoList l = g.createList();
        WrongTypeException e = assertThrows(WrongTypeException.class, () -> alice.list(m.id()));
        assertEquals(m.id() + " is a comap, not a colist", e.getMessage());
        assertThrows(WrongTypeException.class, () -> alice.map(l.id()));
        assertThrows(WrongTypeException.class, () -> alice.map(g.id()), "a group is not a plain map");
        assertThrows(WrongTypeException.class, () -> alice.group(alice.accountID()));
        assertThrows(WrongTypeException.class, () -> alice.binaryStream(g.createStream().id()));
        assertThrows(WrongTypeException.class, () -> alice.stream(g.createBinaryStream().id()));
        assertInstanceOf(CoList.class, alice.load(l.id()));
        assertInstanceOf(Group.class, alice.load(g.id()));
        assertInstanceOf(Account.class, alice.load(alice.accountID()));
        assertInstanceOf(CoPlainText.class, alice.load(g.createPlainText().id()));
        assertThrows(IllegalArgumentException.class, () -> bob.map(m.id()), "not loaded on bob's node");
    }

    @Test
    void readersAndRemovedMembersAreRefusedBeforeSigning() {
        CojsonNode carol = account("Carol");
        alice.importContent(carol.exportContent(carol.accountID()));
        Group g = sharedGroup();
        g.addMember(carol.accountID(), Role.READER);
        CoMap m = g.createMap(Map.of("a", JsonValue.of(1)));
        carol.importContent(alice.exportContent(m.id()));
        CoMap cm = carol.map(m.id());
        assertEquals(JsonValue.of(1), cm.get("a"));
        assertEquals(Role.READER, carol.group(g.id()).myRole());
        int before = TypedNodes.localNode(carol).require(m.id()).entries().size();
        assertThrows(PermissionDeniedException.class, () -> cm.set("a", 2));
        assertThrows(PermissionDeniedException.class, () -> carol.group(g.id()).createMap());
        assertThrows(PermissionDeniedException.class, () -> carol.group(g.id()).addMember(carol.accountID(), Role.ADMIN));
        assertEquals(before, TypedNodes.localNode(carol).require(m.id()).entries().size(), "nothing signed");

        bob.importContent(alice.exportContent(m.id()));
        bob.map(m.id()).set("b", 2);
        Millis.advance(); // bob's write precedes his removal in time
        g.removeMember(bob.accountID());
        m.set("after", "removal");
        bob.importContent(alice.exportContent(m.id()));
        assertNull(g.roleOf(bob.accountID()));
        assertThrows(PermissionDeniedException.class, () -> bob.map(m.id()).set("c", 3));
        assertEquals("{\"a\":1,\"b\":2}", bob.map(m.id()).toJson().toString(), "new key not revealed to bob");
        assertEquals("{\"a\":1,\"after\":\"removal\"}", m.toJson().toString(), "bob's write was never imported here");
    }

    @Test
    void invitesAndAThirdNodeThatKnowsNothing() {
        Group g = alice.createGroup();
        CoMap m = g.createMap(Map.of("k", JsonValue.of("v")));
        var secret = g.createInvite(Role.WRITER);
        bob.importContent(alice.exportContent(m.id()));
        assertEquals(new LinkedHashMap<>(), new LinkedHashMap<>(bob.map(m.id()).toJson().fields()), "not a member yet");
        Group joined = bob.acceptInvite(g.id(), secret);
        assertEquals(Role.WRITER, joined.myRole());
        assertEquals("v", bob.map(m.id()).getString("k"), "the key arrived with the membership");
        bob.map(m.id()).set("k", "bob");
        alice.importContent(bob.exportContent(m.id()));
        assertEquals("bob", m.getString("k"));
        assertEquals(Role.WRITER, g.roleOf(bob.accountID()));
    }

    /** Prepends before items that already have prepends take the invalidating path of the view; reads after every one. */
    @Test
    void listViewAfterEveryPrependEqualsARebuild() {
        CoList l = alice.createGroup().createList();
        Random rnd = new Random(3);
        for (int i = 0; i < 300; i++) {
            int size = l.size();
            if (size > 0 && rnd.nextInt(5) == 0) l.delete(rnd.nextInt(size));
            else if (rnd.nextBoolean()) l.prepend(JsonValue.of(i), rnd.nextInt(size + 1));
            else l.append(JsonValue.of(i), Math.max(0, rnd.nextInt(size + 1) - 1));
            assertEquals(rebuilt(alice, l.id()).toString(), l.toJson().toString(), "after op " + i);
        }
        List<JsonValue> items = l.items();
        l.prepend(JsonValue.of("p"), 1);
        l.prepend(JsonValue.of("q"), 2);                        // before the same item: goes ahead of "p"
        assertEquals(List.of(items.get(0), JsonValue.of("q"), JsonValue.of("p"), items.get(1)), l.items().subList(0, 4));
    }

    /** Reads after each of 5 000 writes (with imports and a key rotation midway) stay equal to a model and a full rebuild. */
    @Test
    void incrementalViewsStayCorrectUnderManyWrites() {
        Group g = sharedGroup();
        CoMap m = g.createMap();
        CoList l = g.createList();
        bob.importContent(alice.exportContent(m.id()));
        bob.importContent(alice.exportContent(l.id()));
        Map<String, JsonValue> mapModel = new LinkedHashMap<>();
        List<JsonValue> listModel = new ArrayList<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 5000; i++) {
            int op = rnd.nextInt(10);
            JsonValue v = JsonValue.of(i);
            if (op < 4) {
                String key = "k" + rnd.nextInt(200);
                m.set(key, v);
                mapModel.put(key, v);
                assertEquals(v, m.get(key));
            } else if (op == 4 && !mapModel.isEmpty()) {
                String key = mapModel.keySet().iterator().next();
                m.delete(key);
                mapModel.remove(key);
                assertNull(m.get(key));
            } else if (op < 8 || listModel.isEmpty()) {
                int at = rnd.nextInt(listModel.size() + 1);
                l.insert(at, v);
                listModel.add(at, v);
            } else if (op == 8) {
                int at = rnd.nextInt(listModel.size());
                l.delete(at);
                listModel.remove(at);
            } else {
                int at = rnd.nextInt(listModel.size());
                l.replace(at, v);
                listModel.set(at, v);
            }
            assertEquals(listModel.size(), l.size());
            if (i % 97 == 0) assertEquals(listModel, l.items(), "at write " + i);
            if (i == 2500) g.removeMember(bob.accountID());  // key rotation: a new verdict epoch
            if (i % 500 == 250 && i < 2500) {                    // bob writes too; alice imports it
                bob.importContent(alice.exportContent(m.id()));
                bob.map(m.id()).set("bob" + i, i);
                alice.importContent(bob.exportContent(m.id()));
                mapModel.put("bob" + i, JsonValue.of(i));
                assertEquals(JsonValue.of(i), m.get("bob" + i));
            }
        }
        assertEquals(listModel, l.items());
        assertEquals(new ArrayList<>(mapModel.keySet()).stream().sorted().toList(), m.keys().stream().sorted().toList());
        for (Map.Entry<String, JsonValue> e : mapModel.entrySet()) assertEquals(e.getValue(), m.get(e.getKey()));
        assertEquals(rebuilt(alice, m.id()), m.toJson());
        assertEquals(rebuilt(alice, l.id()), l.toJson());
        assertNotNull(l.editAt(0));
    }
}
