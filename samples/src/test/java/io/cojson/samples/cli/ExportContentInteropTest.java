package io.cojson.samples.cli;

import static io.cojson.samples.cli.InteropProcesses.obj;
import static io.cojson.samples.cli.InteropProcesses.q;
import static io.cojson.samples.cli.InteropProcesses.rawElements;
import static io.cojson.samples.cli.InteropProcesses.rawFields;
import static io.cojson.samples.cli.InteropProcesses.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.samples.cli.InteropProcesses.Client;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reference client ({@code node ref-client.mjs}) and a Java {@code client}, two accounts on the JS
 * reference server, write to the same group-owned CoMap, CoList and CoStream (private and trusting
 * transactions, values larger than a checkpoint so sessions carry in-between signatures and content
 * travels in several pieces). Once both hold the same state, their {@code exportContent} answers
 * must agree:
 * <ul>
 *   <li>{@code id, type, owner, meta, header}: byte-identical JSON (and the header hashes to the ID);
 *   <li>{@code knownState}: equal, with {@code sessions} compared as a map (the reference builds it
 *       from a Rust HashMap, so its key order differs from process to process);
 *   <li>{@code sessions}: the same session IDs, each with byte-identical raw transactions,
 *       {@code lastSignature} and {@code signatureAfter}; the order of sessions is each node's
 *       insertion order, i.e. arrival order, which legitimately differs;
 *   <li>{@code contentMessages}: see {@link #assertSameContentMessages};
 *   <li>{@code validTransactions}: see {@link #assertSameValidTransactions}.
 * </ul>
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // node and JVM child processes; the default (180 s) is for in-JVM tests
class ExportContentInteropTest {
    private final InteropProcesses procs = new InteropProcesses();
    private static final Crypto CRYPTO = Crypto.create();
    /** Over cojson's MAX_RECOMMENDED_TX_SIZE (100 KiB) in two writes: a checkpoint signature. */
    private static final int BIG = 60_000;

    @AfterEach
    void stop() throws Exception {
        procs.close();
    }

    @Test
    void referenceAndJavaClientsExportTheSameState() throws Exception {
        String url = procs.startReferenceServer();
        Client js = procs.nodeClient(url);
        Client java = procs.javaClient(url);
        js.ok("{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        String bob = str(java.ok("{\"cmd\":\"createAccount\",\"name\":\"Bob\"}"), "accountID");
        String g = str(js.ok("{\"cmd\":\"createGroup\",\"name\":\"shared\"}"), "id");
        js.ok("{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":" + q(bob) + ",\"role\":\"writer\"}");
        String m = str(js.ok("{\"cmd\":\"createMap\",\"owner\":" + q(g) + ",\"init\":{\"b\":0,\"2\":0},\"meta\":{\"kind\":\"test\"},\"sync\":true}"), "id");
        String l = str(js.ok("{\"cmd\":\"createList\",\"owner\":" + q(g) + ",\"init\":[\"l0\"],\"privacy\":\"trusting\",\"sync\":true}"), "id");
        String s = str(js.ok("{\"cmd\":\"createStream\",\"owner\":" + q(g) + ",\"init\":[\"s0\"],\"sync\":true}"), "id");
        js.ok("{\"cmd\":\"waitSynced\"}");
        java.ok("{\"cmd\":\"waitFor\",\"id\":" + q(m) + ",\"path\":\"b\",\"expected\":0}");
        java.ok("{\"cmd\":\"waitFor\",\"id\":" + q(l) + ",\"expected\":[\"l0\"]}");
        java.ok("{\"cmd\":\"waitFor\",\"id\":" + q(s) + ",\"path\":\"items\",\"expected\":[\"s0\"]}");

        // Both sides write without waiting for each other, alternating private and trusting.
        for (int i = 0; i < 3; i++) {
            for (Client c : List.of(js, java)) {
                String privacy = (i % 2 == 0) == (c == js) ? "private" : "trusting";
                String tail = ",\"privacy\":\"" + privacy + "\"}";
                c.write("{\"cmd\":\"set\",\"id\":" + q(m) + ",\"key\":" + q(c.name + i)
                        + ",\"value\":{\"z\":" + i + ",\"10\":[" + i + "],\"1\":{\"y\":null,\"0\":true}}" + tail);
                c.write("{\"cmd\":\"set\",\"id\":" + q(m) + ",\"key\":\"" + (10 + i) + "\",\"value\":" + q(c.name) + tail);
                c.write("{\"cmd\":\"append\",\"id\":" + q(l) + ",\"value\":" + q(c.name + i) + tail);
                c.write("{\"cmd\":\"push\",\"id\":" + q(s) + ",\"value\":{\"by\":" + q(c.name) + ",\"n\":" + i + "}" + tail);
            }
        }
        for (Client c : List.of(js, java)) {
            String big = "x".repeat(BIG);
            c.write("{\"cmd\":\"set\",\"id\":" + q(m) + ",\"key\":" + q("big_" + c.name) + ",\"value\":" + q(big) + "}");
            c.write("{\"cmd\":\"set\",\"id\":" + q(m) + ",\"key\":" + q("big_" + c.name) + ",\"value\":" + q(big + "y") + ",\"privacy\":\"trusting\"}");
            c.write("{\"cmd\":\"delete\",\"id\":" + q(m) + ",\"key\":\"b\"}");
        }
        for (Client c : List.of(js, java)) {
            while (!c.pendingIsEmpty()) c.answerLine();
            c.ok("{\"cmd\":\"waitSynced\",\"timeoutMs\":30000}");
        }

        for (String id : List.of(m, l, s, g)) {
            awaitSameKnownState(js, java, id);
            String a = js.okLine("{\"cmd\":\"exportContent\",\"id\":" + q(id) + "}");
            String b = java.okLine("{\"cmd\":\"exportContent\",\"id\":" + q(id) + "}");
            assertSameExport(id, a, b);
            if (id.equals(m)) {
                // the big values did what they are there for: in-between signatures, several pieces
                Map<String, String> f = rawFields(b);
                for (String session : rawFields(f.get("sessions")).values()) {
                    assertFalse(rawFields(rawFields(session).get("signatureAfter")).isEmpty(), "no checkpoint in " + session.substring(0, 80));
                }
                assertEquals(2, rawFields(f.get("sessions")).size(), "sessions of the map");
                assertTrue(rawElements(f.get("contentMessages")).size() > 1, "the map's content fits one piece");
            }
        }
    }

    /** Polls both clients' knownState of {@code id} (as maps) until they agree; 30 s at most. */
    private static void awaitSameKnownState(Client a, Client b, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonValue ka = a.ok("{\"cmd\":\"knownState\",\"id\":" + q(id) + "}").get("knownState");
            JsonValue kb = b.ok("{\"cmd\":\"knownState\",\"id\":" + q(id) + "}").get("knownState");
            if (ka.equals(kb)) return; // JsonValue.Obj equality ignores key order
            assertTrue(System.nanoTime() < deadline, "known states of " + id + " never agreed: " + ka + " vs " + kb);
            Thread.sleep(200);
        }
    }

    private static void assertSameExport(String id, String jsLine, String javaLine) throws Exception {
        Map<String, String> a = rawFields(jsLine);
        Map<String, String> b = rawFields(javaLine);
        assertEquals(List.of("ok", "id", "type", "owner", "meta", "header", "knownState", "sessions", "contentMessages", "validTransactions")
                .stream().filter(k -> a.containsKey(k)).toList(), List.copyOf(a.keySet()), "reference field order");
        assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()), "fields of " + id);
        for (String k : List.of("ok", "id", "type", "owner", "meta", "header")) {
            if (a.containsKey(k)) assertEquals(a.get(k), b.get(k), k + " of " + id);
        }
        assertEquals(new RawCoID(id), new CoValueHeader((JsonValue.Obj) Json.parse(b.get("header"))).id(CRYPTO), "header hashes to the ID");

        assertEquals(Json.parse(a.get("knownState")), Json.parse(b.get("knownState")), "knownState of " + id);

        Map<String, String> sa = rawFields(a.get("sessions"));
        Map<String, String> sb = rawFields(b.get("sessions"));
        assertEquals(new TreeMap<>(sa), new TreeMap<>(sb), "sessions of " + id);
        assertTrue(sa.size() >= 1, "no sessions in " + id);
        JsonValue.Obj known = (JsonValue.Obj) ((JsonValue.Obj) Json.parse(a.get("knownState"))).get("sessions");
        assertEquals(known.fields().keySet(), sa.keySet(), "knownState and sessions list the same sessions");

        assertSameContentMessages(id, a.get("contentMessages"), b.get("contentMessages"), sa);
        assertSameValidTransactions(id, a.get("validTransactions"), b.get("validTransactions"));
    }

    /**
     * The content messages carry the same header and, per session, the same pieces (each with its
     * {@code after}, raw transactions and {@code lastSignature}, in the same order): a session is
     * cut only at its in-between signatures, which are part of the signed state. How sessions are
     * grouped into messages depends on the order the node walks its sessions (insertion order), and
     * {@code expectContentUntil} (present exactly when there are several messages) lists the known
     * state, whose key order is arbitrary in the reference; both are compared accordingly.
     */
    private static void assertSameContentMessages(String id, String aText, String bText, Map<String, String> sessions) throws Exception {
        Map<String, List<String>> pa = new TreeMap<>();
        Map<String, List<String>> pb = new TreeMap<>();
        List<String> ma = rawElements(aText);
        List<String> mb = rawElements(bText);
        for (List<String> messages : List.of(ma, mb)) {
            Map<String, List<String>> pieces = messages == ma ? pa : pb;
            for (int i = 0; i < messages.size(); i++) {
                Map<String, String> f = rawFields(messages.get(i));
                assertEquals("\"content\"", f.get("action"), id);
                assertEquals(q(id), f.get("id"));
                assertEquals(i == 0, f.containsKey("header"), "only the first message has the header");
                assertEquals(i == 0 && messages.size() > 1, f.containsKey("expectContentUntil"), "expectContentUntil: first of several pieces");
                for (Map.Entry<String, String> e : rawFields(f.get("new")).entrySet()) {
                    pieces.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                }
            }
        }
        Map<String, String> fa = rawFields(ma.get(0));
        Map<String, String> fb = rawFields(mb.get(0));
        assertEquals(List.copyOf(fa.keySet()), List.copyOf(fb.keySet()), "fields of the first content message of " + id);
        assertEquals(fa.get("header"), fb.get("header"));
        assertEquals(fa.get("priority"), fb.get("priority"));
        if (fa.containsKey("expectContentUntil")) {
            assertEquals(Json.parse(fa.get("expectContentUntil")), Json.parse(fb.get("expectContentUntil")), "expectContentUntil of " + id);
        }
        assertEquals(pa, pb, "session pieces of " + id);
        assertEquals(new TreeMap<>(sessions).keySet(), pa.keySet(), "every session is sent");
    }

    /**
     * The valid transactions are sorted by {@code madeAt}, then (same session) {@code txIndex}; the
     * reference's sort is stable and compares transactions of different sessions with the same
     * {@code madeAt} as equal, so those keep the order in which the node processed them, which depends
     * on arrival (covalues.md §3.2/§3.3) and may differ between the two nodes. So: the same entries,
     * byte for byte; the same sequence of {@code madeAt} values; within a run of equal {@code madeAt}
     * the exact order where the run has a single session, the same set where it has several.
     */
    private static void assertSameValidTransactions(String id, String aText, String bText) throws Exception {
        List<String> a = rawElements(aText);
        List<String> b = rawElements(bText);
        assertFalse(a.isEmpty(), "no valid transactions in " + id);
        assertEquals(a.size(), b.size(), "valid transactions of " + id + "\njs:   " + aText + "\njava: " + bText);
        List<List<String>> runsA = runs(a);
        List<List<String>> runsB = runs(b);
        assertEquals(runsA.size(), runsB.size(), "madeAt runs of " + id);
        for (int i = 0; i < runsA.size(); i++) {
            List<String> ra = runsA.get(i);
            List<String> rb = runsB.get(i);
            boolean oneSession = ra.stream().map(t -> field(t, "sessionID")).distinct().count() == 1;
            if (oneSession) {
                assertEquals(ra, rb, "valid transactions of " + id + " at madeAt " + field(ra.get(0), "madeAt"));
            } else {
                assertEquals(ra.stream().sorted().toList(), rb.stream().sorted().toList(), "tied valid transactions of " + id);
            }
        }
        for (List<String> list : List.of(a, b)) {
            Map<String, Double> lastIndex = new LinkedHashMap<>();
            for (String t : list) {
                double index = ((JsonValue.Num) obj(t).get("txIndex")).value();
                Double before = lastIndex.put(field(t, "sessionID"), index);
                assertTrue(before == null || before < index, "txIndex order within a session in " + id);
                String session = field(t, "sessionID");
                assertEquals(session.substring(0, session.indexOf("_session")), field(t, "author"), "author of " + t);
            }
        }
    }

    /** Consecutive entries with the same {@code madeAt}. */
    private static List<List<String>> runs(List<String> txs) {
        List<List<String>> out = new ArrayList<>();
        String current = null;
        for (String t : txs) {
            String madeAt = field(t, "madeAt");
            if (!madeAt.equals(current)) {
                out.add(new ArrayList<>());
                current = madeAt;
            }
            out.get(out.size() - 1).add(t);
        }
        return out;
    }

    private static String field(String objectText, String name) {
        JsonValue v = obj(objectText).get(name);
        assertNotNull(v, name + " in " + objectText);
        return v instanceof JsonValue.Str ? ((JsonValue.Str) v).value() : v.toString();
    }
}
