package io.cojson.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.internal.Graphemes;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CoPlainText with grapheme clusters (issue 12 A.5). The reference splits inserted text with
 * unicode-segmenter, which departs from UAX #29 in some sequences; the split decides the list
 * entries, so every index after it. Two checks:
 * <ul>
 *   <li>a two-peer script (text full of such sequences, ZWJ emoji, flags, combining marks, Indic
 *       conjuncts; inserts and deletes by index from both sides) run with reference clients, then
 *       with B, A and both as Java clients, through both servers: the same answers as text;
 *   <li>the segmentation itself: the reference's category of every code point and its clusters of
 *       20,000 seeded random texts (test resource {@code interop/graphemes.mjs}) against
 *       {@link Graphemes}.
 * </ul>
 */
class GraphemeTextInteropTest extends BothServersInteropTest {

    @TempDir
    Path tmp;

    // JSON escapes, read by the clients: each piece is a sequence where the reference departs from UAX #29
    private static final String DEPARTING = "\\u094d \\u0915\\u0937|\\u0b95 \\ufe0f\\u200d\\ud83d\\udc69|"
            + "\\u20e3\\u200d\\ud83c\\udff3a\\ud83c\\udffb|\\u2764\\u0301\\u200d\\u200d\\ud83d\\udc76|\\u1100\\u094d\\u0937\\u200c";
    private static final String STANDARD = "\\ud83d\\udc69\\u200d\\ud83d\\udc69\\u200d\\ud83d\\udc67 e\\u0301 "
            + "\\ud83c\\uddeb\\ud83c\\uddf7\\ud83c\\udde9 \\u0915\\u094d\\u0937\\u093f \\ud83c\\udff3\\ufe0f\\u200d\\ud83c\\udf08 1\\ufe0f\\u20e3 a\\u200d\\ud83d\\udc69";

    static final String SCRIPT = """
            B> {"cmd":"createAccount","name":"B"} | bob=accountID
            A> {"cmd":"createAccount","name":"A"}
            A> {"cmd":"createGroup"} | g=id
            A> {"cmd":"addMember","group":"${g}","member":"${bob}","role":"writer","sync":true}
            A> {"cmd":"createText","owner":"${g}","init":"%1$s","sync":true} | t=id
            A> {"cmd":"get","id":"${t}"}
            A> {"cmd":"deleteText","id":"${t}","from":0,"to":0}
            A> {"cmd":"insertText","id":"${t}","text":"\\ufe0f\\u200d\\ud83d\\udd25","index":3,"sync":true}
            A> {"cmd":"insertText","id":"${t}","text":"%2$s","index":0,"sync":true} | text=text
            B> {"cmd":"waitFor","id":"${t}","expected":"${text}"}
            B> {"cmd":"get","id":"${t}"}
            B> {"cmd":"insertText","id":"${t}","text":"\\u200d\\ud83d\\udc69\\u0915\\u094d","index":7,"sync":true}
            B> {"cmd":"deleteText","id":"${t}","from":2,"to":6,"sync":true}
            B> {"cmd":"insertText","id":"${t}","text":" \\u0937\\u093f!","sync":true}
            B> {"cmd":"deleteText","id":"${t}","from":20,"to":23,"sync":true} | text=text
            B> {"cmd":"insertText","id":"${t}","text":"x","index":99}
            A> {"cmd":"waitFor","id":"${t}","expected":"${text}"}
            A> {"cmd":"get","id":"${t}"}
            A> {"cmd":"deleteText","id":"${t}","from":0,"to":5,"sync":true}
            A> {"cmd":"insertText","id":"${t}","text":"\\ud83c\\uddeb","index":1}
            A> {"cmd":"insertText","id":"${t}","text":"\\ud83c\\uddf7\\ud83c\\uddeb","index":2,"sync":true} | text=text
            B> {"cmd":"waitFor","id":"${t}","expected":"${text}"}
            B> {"cmd":"get","id":"${t}"}
            B> {"cmd":"deleteText","id":"${t}","from":1,"to":4,"sync":true} | text=text
            A> {"cmd":"waitFor","id":"${t}","expected":"${text}"}
            A> {"cmd":"get","id":"${t}"}
            A> {"cmd":"createText","owner":"${g}","init":"%1$s%2$s","privacy":"trusting","sync":true} | t2=id
            B> {"cmd":"waitFor","id":"${t2}","exists":true}
            B> {"cmd":"exportContent","id":"${t2}"}
            """.formatted(DEPARTING, STANDARD);

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        ClientScripts.compare(procs, url, ClientScripts.parse(SCRIPT), "grapheme-text-" + server.name().toLowerCase() + "-server",
                List.of(Set.of("B"), Set.of("A"), Set.of("A", "B")));
    }

    @Test
    void segmentationIsTheReferences() throws Exception {
        List<String> lines = runNode("graphemes.mjs", "20000", "1234567");
        int checked = 0;
        for (String range : lines.get(0).split(";")) {
            String[] p = range.split(",");
            int from = Integer.parseInt(p[0], 16);
            int to = Integer.parseInt(p[1], 16);
            for (int cp = from; cp <= to; cp++) {
                assertEquals(Integer.parseInt(p[2]), Graphemes.category(cp), "category of U+" + Integer.toHexString(cp));
                assertEquals(p[3].equals("1"), Graphemes.isConsonant(cp), "InCB=Consonant of U+" + Integer.toHexString(cp));
                checked++;
            }
        }
        assertEquals(0x110000, checked, "every code point");
        List<String> diffs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            JsonValue.Obj c = (JsonValue.Obj) Json.parse(line);
            String s = ((JsonValue.Str) c.get("s")).value();
            List<String> expected = new ArrayList<>();
            for (JsonValue g : ((JsonValue.Arr) c.get("g")).items()) expected.add(((JsonValue.Str) g).value());
            if (!expected.equals(Graphemes.split(s))) diffs.add(line + " java: " + Graphemes.split(s));
        }
        assertEquals(20000, lines.size() - 1, "cases");
        assertEquals(List.of(), diffs.subList(0, Math.min(10, diffs.size())), diffs.size() + " texts split differently");
    }

    /** Runs test resource {@code interop/<name>} with the interop folder and {@code args}; its output lines once it exited 0. */
    private List<String> runNode(String name, String... args) throws Exception {
        Path script = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/interop/" + name)) {
            assertNotNull(in, "test resource interop/" + name);
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of("node", script.toString(), ClientScriptInteropTest.interopDir().getPath()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve(name + ".out");
        Process p = procs.track(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " did not exit");
        assertEquals(0, p.exitValue(), name + " exit status");
        return Files.readAllLines(out);
    }
}
