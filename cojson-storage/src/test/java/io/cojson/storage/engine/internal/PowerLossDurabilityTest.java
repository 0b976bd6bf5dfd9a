package io.cojson.storage.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.Faults;
import io.cojson.storage.engine.StorageOptions;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.MapDbStorage;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power-loss durability at the file-channel level. Every channel of the store is a
 * {@link RecordingChannel} feeding a {@link DiskModel}: the bytes a power loss would leave (only
 * what was forced, names only once the directories were forced). At every acknowledgement the
 * test takes that crash image, and afterwards opens each image as a store (journal recovery
 * included): everything acknowledged must be there. The ordered event log is also checked against
 * the rules behind it: (1) no synchronous acknowledgement while a journal write is unforced,
 * (2) a commit's data pages are forced before the journal that could restore them is overwritten,
 * (3) no size change is forced without its metadata, (4) both directories are forced before the
 * first acknowledgement.
 */
class PowerLossDurabilityTest {
    private static final Crypto CRYPTO = Crypto.create();

    @TempDir
    Path tmp;

    private final DiskModel disk = new DiskModel();

    @BeforeEach
    void record() {
        System.setProperty("cojson.faults.dir", tmp.resolve("faults").toString());
        Path store = store().toAbsolutePath();
        StoreFiles.channels = (path, options) -> {
            FileChannel real = FileChannel.open(path, options);
            Path p = path.toAbsolutePath();
            boolean dir = p.equals(store) || p.equals(store.getParent());
            return p.startsWith(store) || dir ? new RecordingChannel(real, p, dir, label(p), disk) : real;
        };
    }

    @AfterEach
    void restore() {
        StoreFiles.channels = ChannelOpener.DEFAULT;
        Faults.configure(null);
    }

    private Path store() {
        return tmp.resolve("store");
    }

    private String label(Path p) {
        if (p.equals(store().toAbsolutePath())) return "dir";
        if (p.equals(store().toAbsolutePath().getParent())) return "parent-dir";
        return switch (p.getFileName().toString()) {
            case StoreFiles.DATA_FILE -> "data";
            case StoreFiles.DATA_FILE + ".journal" -> "journal";
            default -> p.getFileName().toString();
        };
    }

    @Test
    void synchronousStoresAreAcknowledgedOnlyAfterTheJournalIsForced() {
        LocalNode node = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        RawCoID map = newMap(node);
        List<ContentPiece> acked = new ArrayList<>();
        List<Map<String, byte[]>> images = new ArrayList<>();
        try (MapDbStorage s = MapDbStorage.open(store())) {
            KnownState known = KnownState.empty(map);
            for (int i = 0; i < 30; i++) {
                set(node, map, "k" + i % 4, "v".repeat(i * 300) + i); // some commits grow the files
                for (ContentPiece p : io.cojson.storage.engine.internal.NodeContent.since(node, map, known)) {
                    assertEquals(StoreResult.Status.STORED, join(s.store(p)).status());
                    disk.event("ack " + acked.size());
                    images.add(disk.crashImage()); // a power loss right after this acknowledgement
                    acked.add(p);
                }
                known = node.get(map).knownState();
            }
        }
        assertSafe(true);
        assertTrue(acked.size() >= 30 && disk.events().contains("force journal"), "non-vacuous: " + acked.size() + " acks");
        assertCrashImagesHoldWhatWasAcknowledged(map, acked, images);
        reopenHolds(map, node);
    }

    /** Group commit: every future is registered before the writer may complete it (it is paused). */
    @Test
    void asynchronousGroupCommitsCompleteOnlyAfterTheJournalIsForced() throws Exception {
        LocalNode node = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        RawCoID map = newMap(node);
        List<ContentPiece> pieces = new ArrayList<>();
        KnownState known = KnownState.empty(map);
        for (int i = 0; i < 40; i++) {
            set(node, map, "k" + i % 6, "w".repeat(i * 200) + i);
            pieces.addAll(io.cojson.storage.engine.internal.NodeContent.since(node, map, known));
            known = node.get(map).knownState();
        }
        Map<String, byte[]>[] images = newImages(pieces.size());
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(store(), StorageOptions.defaults().withMaxBatch(8))) {
            Faults.configure("storage.queue.beforeEntry=pause");
            List<CompletableFuture<StoreResult>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < pieces.size(); i++) {
                    int n = i;
                    futures.add(s.store(pieces.get(i)));
                    futures.get(i).thenRun(() -> { // runs on the callback thread as the future completes
                        disk.event("ack " + n);
                        images[n] = disk.crashImage();
                    });
                    if (i == 0) assertTrue(Faults.awaitPaused("storage.queue.beforeEntry", 1, Duration.ofSeconds(30)), "writer paused");
                }
                assertTrue(futures.stream().noneMatch(CompletableFuture::isDone), "nothing completed while the writer is paused");
            } finally { // also after a failed check: close() would wait for the paused writer
                Files.createDirectories(Faults.faultsDir());
                Path release = Faults.faultsDir().resolve("release-storage.queue.beforeEntry");
                if (!Files.exists(release)) Files.createFile(release);
            }
            for (CompletableFuture<StoreResult> f : futures) assertEquals(StoreResult.Status.STORED, f.get(60, TimeUnit.SECONDS).status());
        }
        // completions run on a callback thread, possibly during the next commit: rule 1 cannot attribute them,
        // the crash images can
        assertSafe(false);
        assertEquals(pieces.size(), disk.events().stream().filter(e -> e.startsWith("ack ")).count());
        assertCrashImagesHoldWhatWasAcknowledged(map, pieces, java.util.Arrays.asList(images));
        reopenHolds(map, node);
    }

    private void assertSafe(boolean exactAcks) {
        List<String> events = disk.events();
        List<String> v = violations(events, exactAcks);
        List<String> condensed = new ArrayList<>(); // repeated events once
        for (String e : events) if (condensed.isEmpty() || !condensed.get(condensed.size() - 1).equals(e)) condensed.add(e);
        assertTrue(v.isEmpty(), v.size() + " violations, first " + v.subList(0, Math.min(3, v.size())) + "; log " + condensed);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, byte[]>[] newImages(int n) {
        return new Map[n];
    }

    /** Opens each crash image as a store: the acknowledged piece (and all before it) must be there. */
    private void assertCrashImagesHoldWhatWasAcknowledged(RawCoID map, List<ContentPiece> acked, List<Map<String, byte[]>> images) {
        assertEquals(acked.size(), images.size());
        for (int k = 0; k < acked.size(); k++) {
            Map<String, byte[]> image = images.get(k);
            assertTrue(image != null, "ack " + k + " was observed");
            ContentPiece.SessionPiece sp = acked.get(k).sessions().get(0);
            int needed = sp.after() + sp.transactions().size();
            Path dir = tmp.resolve("crash-image-" + k);
            DiskModel.materialize(image, dir);
            int have;
            try (MapDbStorage s = MapDbStorage.open(dir)) {
                have = s.knownState(map).count(sp.sessionID());
                assertTrue(s.verifyIntegrity().ok(), "crash image after ack " + k + " is intact");
            } catch (io.cojson.storage.StorageException e) {
                throw new AssertionError("crash image after ack " + k + " (files " + image.keySet() + ") does not open: " + e, e);
            }
            assertTrue(have >= needed, "power loss right after ack " + k + ": " + have + " of " + needed
                    + " transactions survive (files " + image.keySet() + ")");
        }
    }

    /**
     * A crash left a complete journal whose pages never reached the data file; the next open
     * completes that commit and drops the journal. A power loss right after that recovery must
     * still leave the commit: the data file is forced before the emptied journal is.
     */
    @Test
    void aRecoveredCommitSurvivesAPowerLossRightAfterTheRecovery() throws Exception {
        Path data = store().resolve(StoreFiles.DATA_FILE);
        Path journal = store().resolve(StoreFiles.DATA_FILE + ".journal");
        Files.createDirectories(store());
        byte[] page1 = new byte[JournaledVolume.PAGE];
        for (int i = 0; i < page1.length; i++) page1[i] = (byte) (i * 31 + 7);
        byte[] journalBytes;
        try (JournaledVolume v = new JournaledVolume(data, journal, true, 13)) { // the commit, recorded and forced
            v.ensureAvailable(2L * JournaledVolume.PAGE);
            v.putData(JournaledVolume.PAGE, page1, 0, page1.length);
            v.sync();
            journalBytes = Files.readAllBytes(journal);
        }
        // the crash state on the device: the forced journal (a crash, unlike the clean close, leaves it),
        // the data file as before the commit
        try (FileChannel c = StoreFiles.channels.open(journal, java.nio.file.StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.wrap(journalBytes), 0);
            c.force(true);
        }
        try (FileChannel c = StoreFiles.channels.open(data, java.nio.file.StandardOpenOption.WRITE)) {
            c.truncate(0);
            c.write(java.nio.ByteBuffer.wrap(new byte[JournaledVolume.PAGE / 2]), 0);
            c.force(true);
        }
        disk.forceDirectory("dir"); // the store's open forces both directories; the volume alone does not
        disk.forceDirectory("parent-dir");
        assertTrue(disk.crashImage().get(StoreFiles.DATA_FILE).length == JournaledVolume.PAGE / 2, "non-vacuous: the commit is only in the journal");

        JournaledVolume.recover(data, journal);
        assertEquals(2L * JournaledVolume.PAGE, Files.size(data), "recovered in place");

        Path after = tmp.resolve("power-loss-after-recovery");
        DiskModel.materialize(disk.crashImage(), after);
        StoreFiles.channels = ChannelOpener.DEFAULT;
        JournaledVolume.recover(after.resolve(StoreFiles.DATA_FILE), after.resolve(StoreFiles.DATA_FILE + ".journal"));
        byte[] survived = Files.readAllBytes(after.resolve(StoreFiles.DATA_FILE));
        assertEquals(2 * JournaledVolume.PAGE, survived.length, "the commit's length survives the second power loss");
        assertTrue(java.util.Arrays.equals(page1, java.util.Arrays.copyOfRange(survived, JournaledVolume.PAGE, 2 * JournaledVolume.PAGE)),
                "the commit's page survives the second power loss");
    }

    /** The checker itself: each rule fires on the history that breaks it. */
    @Test
    void theCheckerRejectsEachUnsafeOrder() {
        List<String> ok = List.of("write journal", "force journal", "write data", "force data", "force dir", "ack 0",
                "write journal", "force journal", "write data", "force-data data", "ack 1");
        assertEquals(List.of(), violations(ok, true));
        assertEquals(1, violations(List.of("force dir", "write journal", "ack 0", "force journal"), true).size());
        assertEquals(1, violations(List.of("force dir", "write journal", "force journal", "write data", "write journal", "force journal"), true).size());
        assertEquals(1, violations(List.of("force dir", "write journal", "force-data-resized journal", "ack 0"), true).size());
        assertEquals(1, violations(List.of("write journal", "force journal", "ack 0"), true).size());
    }

    /**
     * The rules above, over an ordered event log; returns one line per violation. Events:
     * {@code write|truncate|force|force-data|force-data-resized <file>} and {@code ack <n>}.
     */
    static List<String> violations(List<String> log, boolean exactAcks) {
        List<String> out = new ArrayList<>();
        boolean journalUnforced = false;
        boolean dataUnforced = false;
        boolean dirForced = false;
        boolean journalEverForced = false;
        List<String> snapshot = new ArrayList<>(log);
        for (int i = 0; i < snapshot.size(); i++) {
            String e = snapshot.get(i);
            String at = "#" + i + " '" + e + "': ";
            if (e.startsWith("ack ")) {
                if ((exactAcks && journalUnforced) || !journalEverForced) out.add(at + "acknowledged before the journal was forced");
                if (!dirForced) out.add(at + "acknowledged before the store directory was forced");
                continue;
            }
            String[] p = e.split(" ", 2);
            String op = p[0];
            String file = p[1];
            if (op.equals("force-data-resized")) out.add(at + "size change forced without metadata");
            boolean forced = op.startsWith("force");
            switch (file) {
                case "journal" -> {
                    if (!forced && dataUnforced) out.add(at + "journal overwritten before the previous commit's data pages were forced");
                    if (forced) journalEverForced = true;
                    journalUnforced = !forced;
                }
                case "data" -> dataUnforced = !forced;
                case "dir" -> dirForced |= forced; // the parent is checked through the crash images
                default -> { }
            }
        }
        return out;
    }

    private void reopenHolds(RawCoID map, LocalNode node) {
        assertTrue(Files.exists(store().resolve(StoreFiles.DATA_FILE)));
        StoreFiles.channels = ChannelOpener.DEFAULT;
        try (CoValueStorage s = MapDbStorage.open(store())) {
            assertEquals(node.get(map).knownState(), s.knownState(map));
        }
    }

    private static RawCoID newMap(LocalNode node) {
        CoValueHeader h = CoValueHeader.create("comap", new Ruleset.UnsafeAllowAll(), JsonValue.NULL,
                CoValueHeader.isoTimestamp(System.currentTimeMillis()), JsonValue.of(CRYPTO.newUniqueness()));
        return node.createCoValue(h).id();
    }

    private static void set(LocalNode node, RawCoID map, String key, String value) {
        node.write(map, List.of(CoMapContent.setChange(key, JsonValue.of(value))), null, false);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
