package io.cojson.storage;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SignedTransaction;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.RecoveryJournalEntry;
import io.cojson.storage.engine.SessionReplacement;
import io.cojson.storage.engine.StorageOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * The process the crash tests kill (reliability.md §2.2). Prints {@code READY} once it is writing
 * and {@code ACK <coValue> <session> <index>} when a write's persistence handle completed.
 *
 * <pre>
 * init    dir secretFile mapsFile     create the account, a group and 20 maps; persist; exit
 * write   dir secretFile mapsFile seed  load everything, then write forever (new session each run)
 * replace dir unitFile                 run one recovery unit (content messages + journal as JSON)
 * erase   dir                          erase the deleted CoValues
 * store   dir pieceFile                store one content piece
 * hold    dir                          open the store, print READY, wait to be killed
 * open    dir                          try to open the store: exit 0, or 3 with the error on stderr
 * </pre>
 */
public final class CrashChild {
    static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    static final int MAPS = 20;

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "init" -> init(dir, Path.of(args[2]), Path.of(args[3]));
            case "write" -> write(dir, Path.of(args[2]), Path.of(args[3]), Long.parseLong(args[4]));
            case "replace" -> replace(dir, Path.of(args[2]));
            case "erase" -> {
                try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
                    OUT.println("ERASED " + s.eraseDeleted().join());
                }
            }
            case "store" -> {
                ContentPiece p = ContentPiece.fromContentMessage(Json.parse(Files.readString(Path.of(args[2]))));
                try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
                    OUT.println("STORED " + s.store(p).join().status());
                }
            }
            case "hold" -> {
                try (MapDbStorage s = MapDbStorage.open(dir)) {
                    OUT.println("READY");
                    Thread.sleep(600_000);
                }
            }
            case "window" -> { // window DIR tracked|untracked MARK... [clear MARK...]: then held until killed
                try (MapDbStorage s = MapDbStorage.open(dir)) {
                    if (args[2].equals("tracked")) s.trackDurabilityWindow();
                    for (int i = 3; i < args.length; i++) {
                        if (args[i].equals("clear")) s.clearDurabilityWindow();
                        else s.markDurabilityWindow(java.util.Set.of(args[i].replace('+', ' ')));
                    }
                    OUT.println("READY");
                    Thread.sleep(600_000);
                }
            }
            case "open" -> {
                try (MapDbStorage s = MapDbStorage.open(dir)) {
                    OUT.println("OPENED");
                } catch (StorageException e) {
                    System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                    System.exit(3);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static RawCoID accountOf(Crypto crypto, AgentSecret secret) {
        return Accounts.accountHeader(crypto.getAgentID(secret)).id(crypto);
    }

    private static void init(Path dir, Path secretFile, Path mapsFile) {
        Crypto crypto = Crypto.create();
        AgentSecret secret = AgentSecret.parse(Files.exists(secretFile) ? read(secretFile) : crypto.newRandomAgentSecret().value());
        write(secretFile, secret.value());
        LocalNode node = Accounts.create(crypto, secret, "Alice");
        RawCoID group = GroupOperations.createGroup(node, null);
        List<String> maps = new ArrayList<>();
        for (int i = 0; i < MAPS; i++) maps.add(Accounts.createOwned(node, "comap", group, JsonValue.NULL).value());
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(node, s)) {
            p.persistedAll().join();
        }
        write(mapsFile, String.join("\n", maps));
        OUT.println("READY");
    }

    private static void write(Path dir, Path secretFile, Path mapsFile, long seed) throws InterruptedException {
        long t0 = System.nanoTime();
        Crypto crypto = Crypto.create();
        AgentSecret secret = AgentSecret.parse(read(secretFile));
        List<RawCoID> maps = new ArrayList<>();
        for (String m : read(mapsFile).split("\n")) maps.add(new RawCoID(m));
        AsyncMapDbStorage storage = AsyncMapDbStorage.open(dir, StorageOptions.defaults().withQueueCapacity(256));
        LocalNode node = LocalNode.forAccount(crypto, accountOf(crypto, secret), secret, null);
        long t1 = System.nanoTime();
        NodePersistence p = NodePersistence.attach(node, storage);
        LoadReport loaded = p.loadAll();
        if (!loaded.clean()) throw new IllegalStateException("store does not load cleanly: " + loaded);
        Accounts.checkLogin(node);
        System.err.printf("TIMING open %d ms, load %d ms (%d transactions), jvm uptime %d ms%n", (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000, loaded.transactions(), java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        OUT.println("READY " + node.sessionID());
        Random random = new Random(seed);
        Semaphore inFlight = new Semaphore(64);
        String filler = "f".repeat(random.nextInt(4) == 0 ? 3_000 : 20); // sometimes around the checkpoint size
        for (long n = 0;; n++) {
            inFlight.acquire();
            RawCoID map = maps.get(random.nextInt(maps.size()));
            SignedTransaction st = node.write(map, List.of(io.cojson.core.content.CoMapContent.setChange("k" + random.nextInt(50),
                    JsonValue.of(filler + n))), null, random.nextBoolean());
            String ack = "ACK " + map.value() + " " + node.sessionID().value() + " " + st.txIndex();
            p.persisted(map).whenComplete((k, ex) -> {
                if (ex == null) OUT.println(ack);
                inFlight.release();
            });
            if (n % 2 == 0) Thread.sleep(1); // a few hundred writes per run keep restarts quick as the store grows
        }
    }

    private static void replace(Path dir, Path unitFile) {
        JsonValue.Obj unit = (JsonValue.Obj) Json.parse(read(unitFile));
        List<ContentPiece.SessionPiece> server = new ArrayList<>();
        for (JsonValue m : ((JsonValue.Arr) unit.get("server")).items()) server.addAll(ContentPiece.fromContentMessage(m).sessions());
        ContentPiece conflict = unit.get("conflict") instanceof JsonValue.Obj c ? ContentPiece.fromContentMessage(c) : null;
        RecoveryJournalEntry journal = RecoveryJournalEntry.fromJson(JsonWriter.stringify(unit.get("journal")));
        SessionReplacement r = new SessionReplacement(journal.id(), journal.session(), server,
                conflict == null ? null : conflict.sessions().get(0), journal);
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            OUT.println("READY");
            OUT.println("REPLACED " + s.replaceSession(r).join().stored().toJson());
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
