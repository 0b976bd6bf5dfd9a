package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.RecoveryModelProperties.Model;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.state.ActionChain;

/**
 * Issue 11 A.3's cross-check: schedules drawn by {@link RecoveryModelProperties}'s generator run
 * first on its in-memory model, then again with real processes: each device a child JVM
 * ({@link ModelReplayChild}) on its own MapDB directory, a Java sync server on MapDB and WebSockets
 * on 127.0.0.1 ({@link CrashHarness}), and every crash a SIGKILL followed by a restart on the same
 * storage (the same session with the reuse guard off, else the guard's fresh session). The same
 * invariants hold after every step (no value twice on a device, none nobody wrote) and after the
 * heal (every device and the server at the same state, recovery idle, and every value that a
 * device's storage held at a "persist" or the server acknowledged at a "sync" present exactly once
 * everywhere). Replayed: the first three schedules of the fixed seed that crash a device, each
 * on a different kind of value (CoMap or CoList, private or trusting transactions).
 */
class RecoveryModelRealCrashTest {
    private static final int REPLAYS = 3;
    private static final AtomicInteger REPLAYED = new AtomicInteger();
    /** Value kinds (list or map, private or trusting) replayed so far: each replay a different one. */
    private static final Set<String> KINDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Provide
    Arbitrary<ActionChain<Model>> schedules() {
        return new RecoveryModelProperties().schedules();
    }

    @Property(tries = 40, seed = "20261206", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void realCrashesKeepTheModelsInvariants(@ForAll("schedules") ActionChain<Model> chain) throws Exception {
        Model m;
        try {
            chain.run(); // the in-memory model first: the schedule must be valid there
            m = RecoveryModelProperties.CURRENT.get();
            m.healAndCheck();
        } finally {
            Model made = RecoveryModelProperties.CURRENT.get();
            RecoveryModelProperties.CURRENT.remove();
            if (made != null) made.close();
        }
        List<String> steps = chain.transformations();
        String kind = (m.list ? "list" : "map") + (m.privateTx ? " private" : " trusting");
        if (REPLAYED.get() >= REPLAYS || steps.stream().noneMatch(s -> s.startsWith("crash")) || !KINDS.add(kind)) return;
        REPLAYED.incrementAndGet();
        System.out.println("[model-replay] list=" + m.list + " private=" + m.privateTx + " " + steps);
        Path root = Files.createTempDirectory("model-replay");
        try {
            new Replay(root, m.list, m.privateTx).run(steps);
        } finally {
            try (var w = Files.walk(root)) {
                w.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @AfterContainer
    static void everyReplayRan() {
        if (REPLAYED.get() != REPLAYS) throw new AssertionError("replayed " + REPLAYED.get() + " schedules, expected " + REPLAYS);
    }

    /** One device: its child JVM, its storage and the session it last wrote with. */
    private static final class Device {
        final Path dir;
        Process process;
        BlockingQueue<String> lines;
        Writer in;
        String session;
        final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

        Device(Path dir) {
            this.dir = dir;
        }
    }

    private static final class Replay {
        final boolean list;
        final boolean privateTx;
        final Path root;
        final List<String> written = new ArrayList<>();
        final Set<String> mustSurvive = new HashSet<>();
        final List<Device> devices = new ArrayList<>();
        CrashHarness h;
        RawCoID account;
        RawCoID id;
        int next;

        Replay(Path root, boolean list, boolean privateTx) {
            this.root = root;
            this.list = list;
            this.privateTx = privateTx;
        }

        void run(List<String> steps) throws Exception {
            try (CrashHarness harness = new CrashHarness(root.resolve("server"))) {
                h = harness;
                LocalNode first = Accounts.create(CRYPTO, h.secret, "Alice");
                account = first.accountID();
                RawCoID group = GroupOperations.createGroup(first, null);
                id = Accounts.createOwned(first, list ? "colist" : "comap", group, JsonValue.NULL);
                for (int i = 0; i < 2; i++) { // both devices start from the same stored account, A in its creation session
                    Device d = new Device(root.resolve("device" + i));
                    MapDbStorage disk = MapDbStorage.open(d.dir);
                    try (NodePersistence p = NodePersistence.attach(first, disk)) {
                        p.persistedAll().get(30, TimeUnit.SECONDS);
                    }
                    disk.close();
                    start(d, i == 0 ? first.sessionID().value() : "-", true);
                    devices.add(d);
                }
                for (String step : steps) {
                    String[] w = step.split(" ");
                    Device d = devices.get(Integer.parseInt(w[1]));
                    switch (w[0]) {
                        case "edit" -> {
                            String v = "op" + (++next);
                            written.add(v);
                            command(d, "edit " + v);
                        }
                        case "persist", "sync" -> mustSurvive.addAll(values(command(d, w[0])));
                        case "crash" -> {
                            d.process.destroyForcibly(); // SIGKILL
                            if (!d.process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("a device survived SIGKILL");
                            start(d, d.session, !step.contains("same session"));
                        }
                        default -> throw new AssertionError("unknown step " + step);
                    }
                    for (Device x : devices) noDuplicates(x, step);
                }
                healAndCheck();
            } finally {
                for (Device d : devices) if (d.process != null) d.process.destroyForcibly();
            }
        }

        void start(Device d, String last, boolean guard) throws Exception {
            d.process = h.start(ModelReplayChild.class, Map.of(), d.dir.toString(), h.secret.value(), account.value(), last,
                    h.ws.url(), id.value(), list ? "list" : "map", privateTx ? "private" : "trusting", "guard=" + guard);
            BlockingQueue<String> q = new LinkedBlockingQueue<>();
            d.lines = q;
            CrashHarness.pump(d.process.getInputStream(), q::add);
            CrashHarness.pump(d.process.getErrorStream(), d.stderr::add);
            d.in = new OutputStreamWriter(d.process.getOutputStream(), StandardCharsets.UTF_8);
            String ready = q.poll(60, TimeUnit.SECONDS);
            if (ready == null || !ready.startsWith("READY ")) throw new AssertionError("device did not start: " + ready + " " + tail(d));
            d.session = ready.substring(6);
        }

        String command(Device d, String line) throws Exception {
            d.in.write(line + "\n");
            d.in.flush();
            String answer = d.lines.poll(60, TimeUnit.SECONDS);
            if (answer == null || !answer.startsWith("OK ")) throw new AssertionError(line + " -> " + answer + " " + tail(d));
            return answer.substring(3);
        }

        static List<String> values(String jsonArray) {
            List<String> out = new ArrayList<>();
            for (JsonValue v : ((JsonValue.Arr) Json.parse(jsonArray)).items()) out.add(((JsonValue.Str) v).value());
            return out;
        }

        void noDuplicates(Device d, String after) throws Exception {
            List<String> p = values(command(d, "present"));
            if (new HashSet<>(p).size() != p.size()) throw new AssertionError(d.dir.getFileName() + " holds a value twice after " + after + ": " + p);
            if (!written.containsAll(p)) throw new AssertionError(d.dir.getFileName() + " holds a value nobody wrote: " + p);
        }

        void healAndCheck() throws Exception {
            for (Device d : devices) command(d, "sync");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String server = JsonWriter.stringify(ModelReplayChild.sessions(SyncTestKit.known(h.serverNode, id)));
                List<String> states = new ArrayList<>();
                boolean done = true;
                for (Device d : devices) {
                    JsonValue.Obj st = (JsonValue.Obj) Json.parse(command(d, "state"));
                    states.add(JsonWriter.stringify(st));
                    done &= JsonValue.TRUE.equals(st.get("idle")) && JsonWriter.stringify(st.get("known")).equals(server);
                }
                if (done) {
                    System.out.println("[model-replay] healed: " + states);
                    break;
                }
                if (System.nanoTime() > deadline) throw new AssertionError("no convergence within 60 s: server " + server + ", devices " + states);
                Thread.sleep(50);
            }
            for (Device d : devices) {
                Map<String, Integer> counts = new HashMap<>();
                for (String v : values(command(d, "present"))) counts.merge(v, 1, Integer::sum);
                for (String v : mustSurvive) {
                    if (counts.getOrDefault(v, 0) != 1) throw new AssertionError(v + " must be on " + d.dir.getFileName() + " exactly once: " + counts);
                }
                for (var e : counts.entrySet()) if (e.getValue() != 1) throw new AssertionError(e + " on " + d.dir.getFileName());
            }
        }

        static String tail(Device d) {
            List<String> s = new ArrayList<>(d.stderr);
            return "stderr: " + String.join("\n", s.subList(Math.max(0, s.size() - 30), s.size()));
        }
    }
}
