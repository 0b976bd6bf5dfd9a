package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoStreamContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.LoadResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Helpers shared by the storage tests: content, views, child JVMs. */
final class TestSupport {
    static final Crypto CRYPTO = Crypto.create();

    private TestSupport() {}

    /** A node without account (writes as its agent). */
    static LocalNode agentNode() {
        return LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    }

    /** A new unsafeAllowAll CoValue of {@code type} on {@code node}. */
    static RawCoID newValue(LocalNode node, String type) {
        CoValueHeader h = CoValueHeader.create(type, new Ruleset.UnsafeAllowAll(), JsonValue.NULL,
                CoValueHeader.isoTimestamp(System.currentTimeMillis()), JsonValue.of(CRYPTO.newUniqueness()));
        return node.createCoValue(h).id();
    }

    static void set(LocalNode node, RawCoID map, String key, JsonValue value, boolean privateTx) {
        node.write(map, List.of(CoMapContent.setChange(key, value)), null, privateTx);
    }

    static void set(LocalNode node, RawCoID map, String key, Object value) {
        JsonValue v = value instanceof Number n ? JsonValue.of(n.doubleValue()) : JsonValue.of(String.valueOf(value));
        set(node, map, key, v, false);
    }

    /** Appends items to a list (all anchored at the start; the view is what is compared, not a given order). */
    static void append(LocalNode node, RawCoID list, boolean privateTx, String... items) {
        List<JsonValue> changes = new ArrayList<>();
        for (String item : items) changes.add(JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(item), "after", JsonValue.of("start")));
        node.write(list, changes, null, privateTx);
    }

    /** The JSON of a CoValue's view (map, list or stream), decoded as {@code node} can read it. */
    static String view(LocalNode node, RawCoID id) {
        return node.locked(() -> {
            CoValueCore core = node.require(id);
            List<DecodedTx> txs = TransactionDecoder.decode(core, node, node.keys());
            switch (core.header().type()) {
                case "colist": {
                    CoListContent l = new CoListContent();
                    l.add(txs);
                    return JsonWriter.stringify(l.toJson());
                }
                case "costream": {
                    CoStreamContent s = new CoStreamContent();
                    s.add(txs);
                    return JsonWriter.stringify(s.toJson());
                }
                default: {
                    CoMapContent m = new CoMapContent();
                    m.add(txs);
                    return JsonWriter.stringify(m.toJson());
                }
            }
        });
    }

    /** Imports every piece; fails unless each session verifies. */
    static void importAll(LocalNode node, List<ContentPiece> pieces) {
        for (ContentPiece p : pieces) {
            for (AddResult r : node.importContent(p)) assertTrue(r.isAdded(), "import of " + p.id() + ": " + r);
        }
    }

    /** Loads {@code id} from storage into a fresh verifying node and returns it. */
    static LocalNode reload(CoValueStorage storage, RawCoID id) {
        LocalNode fresh = agentNode();
        LoadResult r = storage.load(id, p -> importAll(fresh, List.of(p)));
        assertTrue(r.found(), "stored: " + id);
        return fresh;
    }

    static <T> T await(Future<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- child JVMs ----

    static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Starts {@code main} in a child JVM with the test classpath. */
    static Process startChild(Class<?> main, List<String> jvmArgs, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("COJSON_FAULTS");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Reads a stream line by line on a daemon thread. */
    static Thread pump(java.io.InputStream in, Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) onLine.accept(line);
            } catch (IOException e) {
                // the child died; what was read is what counts
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
