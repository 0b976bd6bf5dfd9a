package io.cojson.samples.cli;

import static io.cojson.samples.cli.InteropProcesses.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.JsonValue;
import io.cojson.samples.cli.ChaosPeer.Kind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 A.4, a chaos run with real processes: the Java server ({@code server --db}, MapDB), two
 * Java {@code client} processes (each on its own MapDB directory) and two {@code node ref-client.mjs}
 * processes, all connected through {@link ChaosProxy}, which duplicates and reorders whole WebSocket
 * frames within each connection in both directions. Every client writes its own keys to one shared
 * CoMap and its own items to one shared CoList (owned by a group where every client's account is a
 * writer), each write with {@code "sync":true}: an ok answer means the server acknowledged it. A
 * seeded schedule SIGKILLs the server and the Java clients and starts them again on their storage
 * (a Java client logs in again from its storage). Then the run heals (faults off, everything up,
 * everyone synced), takes every client offline and SIGKILLs the server once more: a fresh JS and a
 * fresh Java client then read from the restarted server alone, and must find everything the clients
 * had. Once the clients are back, every peer must hold every acknowledged write, no item twice,
 * nothing never written, and the same content (the two fresh peers: the same list order too).
 *
 * <p>Reordering within one connection is legal input: the protocol repairs gaps with
 * {@code known isCorrection} and re-sending (sync-protocol.md §5.3/5.4), known states only grow by
 * merging, and re-delivered content is a no-op (reliability.md RL-15). JS clients are not killed (the
 * reference client keeps no storage); their connections are cut whenever the server dies.
 *
 * <p>{@code -Dcojson.chaos.seed=N} replays a schedule (fault decisions and kill plan; process timing
 * still varies); the seed is printed first. The run takes about a minute.
 */
@Tag("interop")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChaosInteropTest {
    private static final long DEFAULT_SEED = 20261206L;
    private static final int CHAOS_MS = 28_000;
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<ChaosPeer> peers = new ArrayList<>();
    private ChaosProxy proxy;
    private volatile boolean running;
    /** Per client: keys (map) and items (list) written, and those the server acknowledged. */
    private final Map<String, Set<String>> attempted = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    private volatile Throwable writerFailure;

    @AfterEach
    void stop() throws Exception {
        running = false;
        for (ChaosPeer p : peers) p.stop();
        if (proxy != null) proxy.close();
    }

    private record Account(String id, String secret) {}

    private record Event(int atMs, ChaosPeer target, int downMs) {}

    @Test
    void chaosWithKillsDuplicatesAndReorderingLosesNothingAcknowledgedAndConverges() throws Exception {
        long seed = Long.getLong("cojson.chaos.seed", DEFAULT_SEED);
        System.out.println("[chaos] seed " + seed + " (replay with -Dcojson.chaos.seed=" + seed + ")");
        long t0 = System.nanoTime();
        Random random = new Random(seed);
        Path logs = Path.of("target", "chaos");
        Files.createDirectories(logs);

        ChaosPeer server = peer("server", Kind.SERVER, null);
        proxy = new ChaosProxy(seed, server.start());
        server.ready = true;
        proxy.faults(0.1, 0.1);
        String url = proxy.url();
        List<ChaosPeer> clients = new ArrayList<>();
        for (String n : List.of("js1", "j1", "j2", "js2")) {
            ChaosPeer c = peer(n, n.startsWith("js") ? Kind.JS_CLIENT : Kind.JAVA_CLIENT, url);
            c.start(); // they boot side by side
            clients.add(c);
        }

        // Set-up (faults on, no kills): accounts, the group, the map and the list.
        Map<ChaosPeer, Account> accounts = new LinkedHashMap<>();
        for (ChaosPeer c : clients) {
            JsonValue.Obj a = c.ok("{\"cmd\":\"createAccount\",\"name\":" + q(c.name) + "}", Duration.ofSeconds(90));
            accounts.put(c, new Account(str(a, "accountID"), str(a, "agentSecret")));
        }
        ChaosPeer owner = clients.get(0);
        String group = str(owner.ok("{\"cmd\":\"createGroup\"}", COMMAND_WAIT), "id");
        for (ChaosPeer c : clients.subList(1, clients.size())) {
            owner.ok("{\"cmd\":\"addMember\",\"group\":" + q(group) + ",\"member\":" + q(accounts.get(c).id()) + ",\"role\":\"writer\"}", COMMAND_WAIT);
        }
        String map = str(owner.ok("{\"cmd\":\"createMap\",\"owner\":" + q(group) + ",\"sync\":true}", COMMAND_WAIT), "id");
        String list = str(owner.ok("{\"cmd\":\"createList\",\"owner\":" + q(group) + ",\"sync\":true}", COMMAND_WAIT), "id");
        owner.ok("{\"cmd\":\"waitSynced\",\"timeoutMs\":20000}", COMMAND_WAIT);
        for (ChaosPeer c : clients) {
            c.ok("{\"cmd\":\"get\",\"id\":" + q(map) + "}", COMMAND_WAIT);
            c.ok("{\"cmd\":\"get\",\"id\":" + q(list) + "}", COMMAND_WAIT);
            c.ready = true;
            attempted.put(c.name, ConcurrentHashMap.newKeySet());
            acknowledged.put(c.name, ConcurrentHashMap.newKeySet());
        }
        long setupMs = ms(t0);

        // Chaos: writers on every client, kills and restarts on a seeded schedule.
        List<ChaosPeer> killable = new ArrayList<>(List.of(server));
        for (ChaosPeer c : clients) if (c.kind == Kind.JAVA_CLIENT) killable.add(c);
        List<Event> plan = plan(random, killable);
        System.out.println("[chaos] plan (ms after the start of the chaos phase, target, down ms): " + plan);
        running = true;
        List<Thread> writers = new ArrayList<>();
        for (ChaosPeer c : clients) {
            long writerSeed = random.nextLong();
            Thread t = new Thread(() -> write(c, map, list, new Random(writerSeed)), "chaos-writer-" + c.name);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
        long chaosStart = System.nanoTime();
        for (Event e : plan) {
            long wait = e.atMs() - ms(chaosStart);
            if (wait > 0) Thread.sleep(wait);
            System.out.println("[chaos] " + ms(chaosStart) + " ms: SIGKILL " + e.target() + " for " + e.downMs() + " ms");
            e.target().kill();
            Thread.sleep(e.downMs());
            restart(e.target(), accounts, map, list);
        }
        long left = CHAOS_MS - ms(chaosStart);
        if (left > 0) Thread.sleep(left);
        running = false;
        for (Thread t : writers) {
            t.join(COMMAND_WAIT.toMillis());
            assertTrue(!t.isAlive(), t.getName() + " still running");
        }
        if (writerFailure != null) throw new AssertionError("a writer failed", writerFailure);
        long chaosMs = ms(chaosStart);

        // Heal: no faults, every process up, everyone uploads what it has.
        long healStart = System.nanoTime();
        proxy.faults(0, 0);
        for (ChaosPeer p : killable) if (!p.alive() || !p.ready) restart(p, accounts, map, list);
        for (ChaosPeer c : clients) c.ok("{\"cmd\":\"waitSynced\",\"timeoutMs\":40000}", Duration.ofSeconds(50));
        // The server alone: every client offline, one more SIGKILL, then fresh peers (nothing local)
        // read what the restarted server has; no client can upload a write the server lost.
        for (ChaosPeer c : clients) c.ok("{\"cmd\":\"disconnect\"}", COMMAND_WAIT);
        server.kill();
        restart(server, accounts, map, list);
        Account ownerAccount = accounts.get(owner);
        List<ChaosPeer> fresh = new ArrayList<>();
        for (Kind k : List.of(Kind.JS_CLIENT, Kind.JAVA_CLIENT)) {
            ChaosPeer f = peer(k == Kind.JS_CLIENT ? "fresh-js" : "fresh-java", k, url);
            f.start();
            f.ok("{\"cmd\":\"login\",\"accountID\":" + q(ownerAccount.id()) + ",\"agentSecret\":" + q(ownerAccount.secret()) + "}", Duration.ofSeconds(90));
            fresh.add(f);
        }
        Map<ChaosPeer, Views> serverViews = converge(fresh, map, list);
        for (ChaosPeer c : clients) c.ok("{\"cmd\":\"connect\",\"timeoutMs\":30000}", COMMAND_WAIT);
        List<ChaosPeer> readers = new ArrayList<>(clients);
        readers.addAll(fresh);
        Map<ChaosPeer, Views> views = converge(readers, map, list);
        long healMs = ms(healStart);
        // Everything the clients had synced before the last kill was on the server after it.
        assertEquals(views.get(clients.get(0)).map(), serverViews.get(fresh.get(0)).map(), "the server lost map keys in its last SIGKILL");
        assertEquals(sorted(views.get(clients.get(0)).list()), sorted(serverViews.get(fresh.get(0)).list()), "the server lost list items in its last SIGKILL");

        // Nothing acknowledged is missing anywhere; nothing is there twice or was never written.
        Set<String> allAttempted = new HashSet<>();
        Set<String> allAcknowledged = new HashSet<>();
        attempted.values().forEach(allAttempted::addAll);
        acknowledged.values().forEach(allAcknowledged::addAll);
        List<Map.Entry<ChaosPeer, Views>> all = new ArrayList<>(views.entrySet());
        all.addAll(serverViews.entrySet());
        for (Map.Entry<ChaosPeer, Views> e : all) {
            String who = e.getKey().name;
            Views v = e.getValue();
            List<String> missing = new ArrayList<>();
            for (String w : allAcknowledged) if (!(isMapKey(w) ? v.map().containsKey(w) : v.list().contains(w))) missing.add(w);
            Collections.sort(missing);
            assertEquals(List.of(), missing, who + " misses acknowledged writes (seed " + seed + ")");
            for (Map.Entry<String, JsonValue> kv : v.map().entrySet()) {
                assertTrue(allAttempted.contains(kv.getKey()) && isMapKey(kv.getKey()), who + ": key never written " + kv.getKey());
                assertEquals(JsonValue.of(number(kv.getKey())), kv.getValue(), who + ": value of " + kv.getKey());
            }
            assertEquals(new HashSet<>(v.list()).size(), v.list().size(), who + ": an item is in the list twice (seed " + seed + ")");
            for (String item : v.list()) assertTrue(allAttempted.contains(item) && !isMapKey(item), who + ": item never written " + item);
        }
        // The two fresh peers received the server's history in the same order: the same list, order included.
        assertEquals(serverViews.get(fresh.get(0)).list(), serverViews.get(fresh.get(1)).list(), "fresh js vs fresh java list order");

        int kills = plan.size() + 1;
        long serverKills = plan.stream().filter(e -> e.target() == server).count() + 1;
        assertTrue(proxy.framesDuplicated.get() > 0 && proxy.framesReordered.get() > 0, "the proxy injected no faults");
        assertTrue(allAcknowledged.size() > 20, "too few acknowledged writes to mean anything: " + allAcknowledged.size());
        System.out.printf("[chaos] seed %d: %d kills (%d of the server), %d writes (%d acknowledged, %d kept), %d frames forwarded, "
                        + "%d duplicated, %d reordered; set-up %d ms, chaos %d ms, heal and checks %d ms, total %d ms%n",
                seed, kills, serverKills, allAttempted.size(), allAcknowledged.size(),
                views.values().iterator().next().map().size() + views.values().iterator().next().list().size(),
                proxy.framesForwarded.get(), proxy.framesDuplicated.get(), proxy.framesReordered.get(),
                setupMs, chaosMs, healMs, ms(t0));
        for (ChaosPeer c : clients) {
            System.out.println("[chaos]   " + c.name + ": " + attempted.get(c.name).size() + " written, "
                    + acknowledged.get(c.name).size() + " acknowledged, started " + c.starts + " times");
        }
    }

    private ChaosPeer peer(String name, Kind kind, String url) throws Exception {
        Path db = tmp.resolve(name);
        File log = Path.of("target", "chaos", name + ".log").toFile();
        Files.deleteIfExists(log.toPath());
        ChaosPeer p = new ChaosPeer(name, kind, db, url, log);
        peers.add(p);
        return p;
    }

    /**
     * Kills at seeded times in the chaos phase, one at a time, the server at least once and each
     * Java client at least once; the last one early enough to come back before the heal.
     */
    private static List<Event> plan(Random random, List<ChaosPeer> killable) {
        List<ChaosPeer> targets = new ArrayList<>(killable); // each once...
        for (int i = 0; i < 3; i++) targets.add(killable.get(random.nextInt(killable.size()))); // ...and three more
        Collections.shuffle(targets, random);
        List<Event> plan = new ArrayList<>();
        int slot = (CHAOS_MS - 6000) / targets.size();
        for (int i = 0; i < targets.size(); i++) {
            int at = 1500 + i * slot + random.nextInt(slot / 3);
            plan.add(new Event(at, targets.get(i), 100 + random.nextInt(1400)));
        }
        return plan;
    }

    /** Starts {@code p} again on its storage; a client logs in again and loads the shared values. */
    private void restart(ChaosPeer p, Map<ChaosPeer, Account> accounts, String map, String list) throws Exception {
        if (!p.lock.tryLock(60, TimeUnit.SECONDS)) throw new AssertionError(p + ": its writer did not let go");
        try {
            if (p.alive()) p.kill();
            int port = p.start();
            if (p.kind == Kind.SERVER) {
                proxy.upstreamPort(port);
            } else {
                Account a = accounts.get(p);
                p.ok("{\"cmd\":\"login\",\"accountID\":" + q(a.id()) + ",\"agentSecret\":" + q(a.secret()) + "}", Duration.ofSeconds(90));
                p.ok("{\"cmd\":\"get\",\"id\":" + q(map) + "}", COMMAND_WAIT);
                p.ok("{\"cmd\":\"get\",\"id\":" + q(list) + "}", COMMAND_WAIT);
            }
            p.ready = true;
        } finally {
            p.lock.unlock();
        }
    }

    /** A client's writer: alternately a map key and a list item, each with {@code "sync":true}, until the chaos ends. */
    private void write(ChaosPeer c, String map, String list, Random random) {
        int n = 0;
        try {
            while (running) {
                if (c.lock.tryLock(100, TimeUnit.MILLISECONDS)) {
                    try {
                        if (c.ready) {
                            String w = c.name + (n % 2 == 0 ? "-k" : "-i") + n;
                            String cmd = n % 2 == 0
                                    ? "{\"cmd\":\"set\",\"id\":" + q(map) + ",\"key\":" + q(w) + ",\"value\":" + n + ",\"sync\":true,\"timeoutMs\":2500}"
                                    : "{\"cmd\":\"append\",\"id\":" + q(list) + ",\"value\":" + q(w) + ",\"sync\":true,\"timeoutMs\":2500}";
                            n++;
                            attempted.get(c.name).add(w);
                            JsonValue.Obj a = c.send(cmd, COMMAND_WAIT);
                            if (a != null && JsonValue.TRUE.equals(a.get("ok")) && JsonValue.TRUE.equals(a.get("synced"))) {
                                acknowledged.get(c.name).add(w);
                            }
                        }
                    } finally {
                        c.lock.unlock();
                    }
                }
                Thread.sleep(20 + random.nextInt(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) { // e.g. an answer that is not JSON: the run must not go on quietly
            writerFailure = e;
        }
    }

    private static boolean isMapKey(String w) {
        return w.contains("-k");
    }

    private static int number(String w) {
        return Integer.parseInt(w.substring(w.lastIndexOf('-') + 2));
    }

    private record Views(Map<String, JsonValue> map, List<String> list) {}

    /** Polls every reader until all hold the same map and the same list items (bounded); their views. */
    private static Map<ChaosPeer, Views> converge(List<ChaosPeer> readers, String map, String list) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (true) {
            Map<ChaosPeer, Views> views = new LinkedHashMap<>();
            for (ChaosPeer r : readers) {
                JsonValue m = r.ok("{\"cmd\":\"get\",\"id\":" + q(map) + ",\"timeoutMs\":20000}", COMMAND_WAIT).get("value");
                JsonValue l = r.ok("{\"cmd\":\"get\",\"id\":" + q(list) + ",\"timeoutMs\":20000}", COMMAND_WAIT).get("value");
                List<String> items = new ArrayList<>();
                for (JsonValue v : ((JsonValue.Arr) l).items()) items.add(((JsonValue.Str) v).value());
                views.put(r, new Views(new TreeMap<>(((JsonValue.Obj) m).fields()), items));
            }
            Views first = views.values().iterator().next();
            List<String> firstSorted = sorted(first.list());
            boolean same = views.values().stream().allMatch(v -> v.map().equals(first.map()) && sorted(v.list()).equals(firstSorted));
            if (same) return views;
            if (System.nanoTime() > deadline) {
                StringBuilder diff = new StringBuilder("peers did not converge within 45 s:");
                for (Map.Entry<ChaosPeer, Views> e : views.entrySet()) {
                    diff.append("\n  ").append(e.getKey()).append(": map ").append(e.getValue().map().size())
                            .append(" keys, list ").append(e.getValue().list().size()).append(" items");
                    Set<String> onlyHere = new HashSet<>(e.getValue().map().keySet());
                    onlyHere.removeAll(first.map().keySet());
                    Set<String> itemsHere = new HashSet<>(e.getValue().list());
                    itemsHere.removeAll(first.list());
                    Set<String> notHere = new HashSet<>(first.map().keySet());
                    notHere.removeAll(e.getValue().map().keySet());
                    Set<String> itemsNotHere = new HashSet<>(first.list());
                    e.getValue().list().forEach(itemsNotHere::remove);
                    diff.append("; vs ").append(readers.get(0)).append(": extra ").append(onlyHere).append(itemsHere)
                            .append(", missing ").append(notHere).append(itemsNotHere);
                }
                throw new AssertionError(diff.toString());
            }
            Thread.sleep(500);
        }
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    private static String str(JsonValue.Obj o, String key) {
        return InteropProcesses.str(o, key);
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
