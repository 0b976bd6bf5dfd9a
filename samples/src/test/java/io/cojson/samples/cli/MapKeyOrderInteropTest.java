package io.cojson.samples.cli;

import static io.cojson.samples.cli.InteropProcesses.q;
import static io.cojson.samples.cli.InteropProcesses.rawFields;
import static io.cojson.samples.cli.InteropProcesses.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.samples.cli.InteropProcesses.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CoMap views printed as JSON <em>text</em>, compared with the reference (covalues.md §4.3): keys
 * that are array indices first, ascending, then the other keys in the order they first entered the
 * view, which is processing order (§3.3): each received batch is one pass, and within a pass the
 * valid trusting transactions come before the private ones, which are decrypted afterwards.
 * Nested objects follow JS property order too.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // node and JVM child processes; the default (180 s) is for in-JVM tests
class MapKeyOrderInteropTest {
    private final InteropProcesses procs = new InteropProcesses();

    @AfterEach
    void stop() throws Exception {
        procs.close();
    }

    private static String set(String id, String key, String valueJson, boolean trusting) {
        return "{\"cmd\":\"set\",\"id\":" + q(id) + ",\"key\":" + q(key) + ",\"value\":" + valueJson
                + (trusting ? ",\"privacy\":\"trusting\"" : "") + "}";
    }

    /** A client process of the reference ({@code ref-client.mjs}) or of this SDK ({@code client}). */
    private Client client(boolean reference, String url) throws Exception {
        return reference ? procs.nodeClient(url) : procs.javaClient(url);
    }

    /** The {@code get} view of {@code id} exactly as printed (key order included). */
    private static String viewText(Client c, String id) throws Exception {
        return rawFields(c.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}")).get("value");
    }

    /**
     * A map written by a reference client and a Java client (private and trusting, index keys,
     * nested objects with index keys, a delete and a revival), then loaded by a fresh reference client
     * and a fresh Java client: both {@code get} answers, whole lines, are the same text. A fresh load
     * is a single pass over the sessions in the server's order, so it does not depend on timing.
     */
    @Test
    void freshClientsPrintTheSameMapListStreamAndGroup() throws Exception {
        String url = procs.startReferenceServer();
        Client js = procs.nodeClient(url);
        Client java = procs.javaClient(url);
        js.ok("{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        String bob = str(java.ok("{\"cmd\":\"createAccount\",\"name\":\"Bob\"}"), "accountID");
        String g = str(js.ok("{\"cmd\":\"createGroup\"}"), "id");
        js.ok("{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":" + q(bob) + ",\"role\":\"writer\"}");
        js.ok("{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":\"everyone\",\"role\":\"reader\"}");
        String m = str(js.ok("{\"cmd\":\"createMap\",\"owner\":" + q(g) + ",\"init\":{\"b\":1,\"10\":1,\"a\":1},\"sync\":true}"), "id");
        String l = str(js.ok("{\"cmd\":\"createList\",\"owner\":" + q(g) + ",\"init\":[{\"k\":1,\"3\":0}],\"sync\":true}"), "id");
        String s = str(js.ok("{\"cmd\":\"createStream\",\"owner\":" + q(g) + ",\"init\":[\"s0\"],\"privacy\":\"trusting\",\"sync\":true}"), "id");
        js.ok("{\"cmd\":\"waitSynced\"}");
        java.ok("{\"cmd\":\"waitFor\",\"id\":" + q(m) + ",\"path\":\"b\",\"expected\":1}");
        java.ok("{\"cmd\":\"waitFor\",\"id\":" + q(s) + ",\"path\":\"items\",\"expected\":[\"s0\"]}");
        java.ok("{\"cmd\":\"waitFor\",\"id\":" + q(l) + ",\"path\":\"length\",\"expected\":1}");
        String[] keys = {"t1", "2", "p1", "-1", "01", "x"};
        for (int i = 0; i < keys.length; i++) {
            boolean trusting = i % 2 == 0;
            js.ok(set(m, "js_" + keys[i], "{\"z\":" + i + ",\"7\":[" + i + "]}", trusting));
            java.ok(set(m, keys[i], "{\"y\":" + i + ",\"5\":{\"b\":0,\"0\":1}}", !trusting));
            js.ok("{\"cmd\":\"append\",\"id\":" + q(l) + ",\"value\":{\"z\":" + i + ",\"1\":0}" + (trusting ? ",\"privacy\":\"trusting\"" : "") + "}");
            java.ok("{\"cmd\":\"push\",\"id\":" + q(s) + ",\"value\":{\"z\":" + i + ",\"1\":0}" + (trusting ? "" : ",\"privacy\":\"trusting\"") + "}");
        }
        java.ok("{\"cmd\":\"delete\",\"id\":" + q(m) + ",\"key\":\"b\"}");
        java.ok(set(m, "b", "\"revived\"", true));
        js.ok("{\"cmd\":\"delete\",\"id\":" + q(m) + ",\"key\":\"10\"}");
        for (Client c : List.of(js, java)) c.ok("{\"cmd\":\"waitSynced\"}");

        Client freshJs = procs.nodeClient(url);
        Client freshJava = procs.javaClient(url);
        freshJs.ok("{\"cmd\":\"createAccount\",\"name\":\"Carol\"}");
        freshJava.ok("{\"cmd\":\"createAccount\",\"name\":\"Dave\"}");
        for (String id : List.of(m, l, s, g)) {
            String a = freshJs.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}");
            String b = freshJava.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}");
            assertEquals(a, b, "get " + id + " on fresh clients");
        }
        // the map has what the test is about: index keys, private and trusting keys, nested index keys
        String map = viewText(freshJs, m);
        assertTrue(map.startsWith("{\"2\":"), map);
        assertTrue(map.contains("\"js_t1\":{\"7\":[0],\"z\":0}") && map.contains("\"p1\":{\"5\":{\"0\":1,\"b\":0},\"y\":2}"), map);
    }

    /** Runs {@code steps} on a client and returns the raw {@code value} of each {@code get} answer. */
    private static List<String> views(Client c, List<String> steps) throws Exception {
        List<String> out = new ArrayList<>();
        for (String step : steps) {
            String line = c.okLine(step);
            if (step.startsWith("{\"cmd\":\"get\"")) out.add(rawFields(line).get("value"));
        }
        return out;
    }

    /**
     * The same script on a reference client and on a Java client, each with its own account, group
     * and map (so both have the same history): the map views, as text, agree after every step. The
     * script writes private and trusting keys (each write is its own pass: the writer's view holds
     * them in write order), changes the group without changing any verdict (the reference keeps its
     * view then), and writes nested objects whose keys the Java client receives in non-JS order.
     */
    @Test
    void writersWithTheSameHistoryPrintTheSameMap() throws Exception {
        String url = procs.startReferenceServer();
        List<List<String>> results = new ArrayList<>();
        for (boolean reference : new boolean[] {true, false}) {
            Client c = client(reference, url);
            c.ok("{\"cmd\":\"createAccount\",\"name\":\"Writer\"}");
            String g = str(c.ok("{\"cmd\":\"createGroup\"}"), "id");
            String m = str(c.ok("{\"cmd\":\"createMap\",\"owner\":" + q(g) + ",\"init\":{\"b\":0}}"), "id");
            String get = "{\"cmd\":\"get\",\"id\":" + q(m) + "}";
            results.add(views(c, List.of(
                    set(m, "p", "1", false), set(m, "t", "2", true), set(m, "10", "3", false), set(m, "a", "4", true),
                    set(m, "2", "5", true), get,
                    "{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":\"everyone\",\"role\":\"reader\"}", get,
                    set(m, "nested", "{\"z\":{\"y\":1,\"3\":2},\"1\":[{\"b\":1,\"0\":0}]}", false), set(m, "p", "6", true),
                    set(m, "t", "7", false), get)));
        }
        assertEquals(results.get(0), results.get(1), "reference vs Java map views");
        assertEquals(3, results.get(0).size());
    }

    /**
     * A reader that already shows the map receives a private write and then, in a separate batch, a
     * trusting one, without reading in between (it sleeps): the reference processes each batch on
     * arrival, so the private key comes first in its view; a view built lazily from both batches at
     * once would put the trusting key first. Writer and reader are both reference clients or both Java
     * clients; the two readers must print the same text.
     */
    @Test
    void separateBatchesAreSeparatePasses() throws Exception {
        String url = procs.startReferenceServer();
        List<String> results = new ArrayList<>();
        for (boolean reference : new boolean[] {true, false}) {
            Client w = client(reference, url);
            Client r = client(reference, url);
            w.ok("{\"cmd\":\"createAccount\",\"name\":\"Writer\"}");
            r.ok("{\"cmd\":\"createAccount\",\"name\":\"Reader\"}");
            String g = str(w.ok("{\"cmd\":\"createGroup\"}"), "id");
            w.ok("{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":\"everyone\",\"role\":\"reader\"}");
            String m = str(w.ok("{\"cmd\":\"createMap\",\"owner\":" + q(g) + ",\"init\":{\"x\":0},\"sync\":true}"), "id");
            w.ok("{\"cmd\":\"waitSynced\"}");
            r.ok("{\"cmd\":\"waitFor\",\"id\":" + q(m) + ",\"path\":\"x\",\"expected\":0}");
            long sleepMs = 4000;
            long started = System.nanoTime();
            r.write("{\"cmd\":\"sleep\",\"ms\":" + sleepMs + "}");
            w.ok("{\"cmd\":\"set\",\"id\":" + q(m) + ",\"key\":\"p\",\"value\":1,\"sync\":true}");
            w.ok("{\"cmd\":\"set\",\"id\":" + q(m) + ",\"key\":\"t\",\"value\":2,\"privacy\":\"trusting\",\"sync\":true}");
            long writesMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(writesMs < sleepMs / 2, "the writes took " + writesMs + " ms: too slow for the reader's sleep");
            r.answerLine();
            r.ok("{\"cmd\":\"waitFor\",\"id\":" + q(m) + ",\"path\":\"t\",\"expected\":2}");
            results.add(viewText(r, m));
        }
        assertEquals("{\"x\":0,\"p\":1,\"t\":2}", results.get(0), "reference reader");
        assertEquals(results.get(0), results.get(1), "reference vs Java reader");
    }

    /**
     * A client whose first command on a received map is a write (no read before): the reference loads
     * the map's content to write through it, so what was received is processed first and the own
     * write forms the next pass. Both implementations must then print the same text.
     */
    @Test
    void aFirstWriteToAReceivedMapComesAfterWhatWasReceived() throws Exception {
        String url = procs.startReferenceServer();
        List<String> results = new ArrayList<>();
        for (boolean reference : new boolean[] {true, false}) {
            Client w = client(reference, url);
            Client r = client(reference, url);
            w.ok("{\"cmd\":\"createAccount\",\"name\":\"Writer\"}");
            String other = str(r.ok("{\"cmd\":\"createAccount\",\"name\":\"Other\"}"), "accountID");
            String g = str(w.ok("{\"cmd\":\"createGroup\"}"), "id");
            w.ok("{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":" + q(other) + ",\"role\":\"writer\"}");
            String m = str(w.ok("{\"cmd\":\"createMap\",\"owner\":" + q(g) + ",\"init\":{\"p\":1},\"sync\":true}"), "id");
            w.ok("{\"cmd\":\"waitSynced\"}");
            r.ok(set(m, "own", "2", false));
            results.add(viewText(r, m));
        }
        assertEquals("{\"p\":1,\"own\":2}", results.get(0), "reference");
        assertEquals(results.get(0), results.get(1), "reference vs Java");
    }

    /**
     * A reader loads a map whose single session holds a private and then a trusting write: one pass,
     * so the trusting key comes first. Then the group changes without changing any verdict (everyone
     * becomes a reader): the reference re-validates but keeps the view as it was instead of rebuilding
     * it in working-list order. Both implementations must print the same text before and after.
     */
    @Test
    void aGroupChangeThatChangesNoVerdictKeepsTheView() throws Exception {
        String url = procs.startReferenceServer();
        List<List<String>> results = new ArrayList<>();
        for (boolean reference : new boolean[] {true, false}) {
            Client w = client(reference, url);
            Client r = client(reference, url);
            w.ok("{\"cmd\":\"createAccount\",\"name\":\"Writer\"}");
            String other = str(r.ok("{\"cmd\":\"createAccount\",\"name\":\"Other\"}"), "accountID");
            String g = str(w.ok("{\"cmd\":\"createGroup\"}"), "id");
            w.ok("{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":" + q(other) + ",\"role\":\"reader\"}");
            String m = str(w.ok("{\"cmd\":\"createMap\",\"owner\":" + q(g) + "}"), "id");
            w.ok(set(m, "p", "1", false));
            w.ok(set(m, "t", "2", true));
            w.ok("{\"cmd\":\"waitSynced\"}");
            String get = "{\"cmd\":\"get\",\"id\":" + q(m) + "}";
            List<String> views = new ArrayList<>();
            views.add(rawFields(r.okLine(get)).get("value"));
            w.ok("{\"cmd\":\"addMember\",\"group\":" + q(g) + ",\"member\":\"everyone\",\"role\":\"reader\",\"sync\":true}");
            r.ok("{\"cmd\":\"waitFor\",\"id\":" + q(g) + ",\"path\":\"everyone\",\"expected\":\"reader\"}");
            views.add(rawFields(r.okLine(get)).get("value"));
            results.add(views);
        }
        assertEquals(List.of("{\"t\":2,\"p\":1}", "{\"t\":2,\"p\":1}"), results.get(0), "reference");
        assertEquals(results.get(0), results.get(1), "reference vs Java");
    }
}
