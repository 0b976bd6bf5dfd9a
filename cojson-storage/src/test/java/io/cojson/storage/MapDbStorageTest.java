package io.cojson.storage;

import static io.cojson.storage.TestSupport.CRYPTO;
import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.IntegrityCheck;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.LoadResult;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.internal.NodeContent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The storage contract on both implementations: store, load in signed pieces, corrections, deletion. */
class MapDbStorageTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> kinds() {
        Function<Path, CoValueStorage> sync = MapDbStorage::open;
        Function<Path, CoValueStorage> async = AsyncMapDbStorage::open;
        return Stream.of(Arguments.of("sync", sync), Arguments.of("async", async));
    }

    private static List<ContentPiece> all(LocalNode node, RawCoID id) {
        return NodeContent.since(node, id, KnownState.empty(id));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void storesLoadsAndSurvivesReopen(String kind, Function<Path, CoValueStorage> open) {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        for (int i = 0; i < 5; i++) TestSupport.set(node, map, "k" + i, i);
        Path dir = tmp.resolve(kind);
        try (CoValueStorage s = open.apply(dir)) {
            for (ContentPiece p : all(node, map)) assertEquals(StoreResult.Status.STORED, await(s.store(p)).status());
            for (ContentPiece p : all(node, map)) assertEquals(StoreResult.Status.UNCHANGED, await(s.store(p)).status());
            assertEquals(node.get(map).knownState(), s.knownState(map));
            assertEquals(TestSupport.view(node, map), TestSupport.view(TestSupport.reload(s, map), map));
        }
        try (CoValueStorage s = open.apply(dir)) {
            assertEquals(node.get(map).knownState(), s.knownState(map));
            assertEquals(List.of(map), s.coValueIDs(0, 10));
            assertEquals(1, s.coValueCount());
            assertEquals(node.get(map).header(), s.header(map).orElseThrow());
            assertEquals(TestSupport.view(node, map), TestSupport.view(TestSupport.reload(s, map), map));
            assertTrue(IntegrityCheck.run(s, CRYPTO).ok());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void largeSessionsStreamInSignedPiecesOfBoundedSize(String kind, Function<Path, CoValueStorage> open) {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        String filler = "x".repeat(2_000);
        for (int i = 0; i < 300; i++) TestSupport.set(node, map, "k" + (i % 7), filler + i); // ~600 KB
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            for (ContentPiece p : all(node, map)) await(s.store(p));
            List<ContentPiece> pieces = new ArrayList<>();
            LocalNode fresh = TestSupport.agentNode();
            LoadResult r = s.load(map, p -> {
                pieces.add(p);
                TestSupport.importAll(fresh, List.of(p)); // every piece verifies on its own, in order
            });
            assertTrue(r.found());
            assertEquals(300, r.transactions());
            assertTrue(pieces.size() >= 5, "streamed in " + pieces.size() + " pieces");
            assertNotNull(pieces.get(0).header());
            for (int i = 1; i < pieces.size(); i++) assertEquals(null, pieces.get(i).header());
            for (ContentPiece p : pieces) {
                long bytes = p.sessions().stream().flatMap(x -> x.transactions().stream()).mapToLong(t -> t.checkpointSize()).sum();
                assertTrue(bytes < 210_000, "piece of " + bytes + " bytes");
            }
            assertEquals(TestSupport.view(node, map), TestSupport.view(fresh, map));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void contentThatAssumesMoreThanIsStoredNeedsCorrection(String kind, Function<Path, CoValueStorage> open) {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        TestSupport.set(node, map, "a", 1);
        KnownState afterOne = node.get(map).knownState();
        TestSupport.set(node, map, "b", 2);
        TestSupport.set(node, map, "c", 3);
        List<ContentPiece> tail = NodeContent.since(node, map, afterOne);
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            ContentPiece noHeader = new ContentPiece(map, null, tail.get(0).sessions());
            StoreResult r = await(s.store(noHeader));
            assertEquals(StoreResult.Status.NEEDS_CORRECTION, r.status());
            assertFalse(r.stored().header());

            await(s.store(new ContentPiece(map, node.get(map).header(), List.of())));
            r = await(s.store(tail.get(0)));
            assertEquals(StoreResult.Status.NEEDS_CORRECTION, r.status(), "after=1 but nothing stored");
            assertEquals(0, r.stored().sessions().size());

            r = await(s.store(tail.get(0), stored -> NodeContent.since(node, map, stored)));
            assertEquals(StoreResult.Status.STORED, r.status());
            assertEquals(node.get(map).knownState(), r.stored());
            assertEquals(TestSupport.view(node, map), TestSupport.view(TestSupport.reload(s, map), map));
        }
    }

    /**
     * Content of a value storage has never seen, and a correction that has nothing to add (as the
     * reference's callback returning an empty list): nothing is written, so the status is not
     * STORED, and the correction was asked from nothing (no header).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aHeaderlessPieceWhoseCorrectionHasNothingWritesNothing(String kind, Function<Path, CoValueStorage> open) {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        TestSupport.set(node, map, "a", 1);
        ContentPiece noHeader = new ContentPiece(map, null, all(node, map).get(0).sessions());
        assertFalse(noHeader.sessions().isEmpty());
        Path dir = tmp.resolve(kind);
        try (CoValueStorage s = open.apply(dir)) {
            List<KnownState> asked = new ArrayList<>();
            StoreResult r = await(s.store(noHeader, stored -> {
                asked.add(stored);
                return List.of();
            }));
            assertEquals(List.of(KnownState.empty(map)), asked);
            assertEquals(StoreResult.Status.UNCHANGED, r.status(), "nothing was written");
            assertEquals(KnownState.empty(map), r.stored());
            assertEquals(0, s.coValueCount());
        }
        try (CoValueStorage s = open.apply(dir)) {
            assertFalse(s.load(map, p -> { }).found());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void deletedValuesKeepOnlyTheirTombstone(String kind, Function<Path, CoValueStorage> open) {
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        TestSupport.set(alice, map, "title", JsonValue.of("secret plans"), true);
        Path dir = tmp.resolve(kind);
        try (CoValueStorage s = open.apply(dir); NodePersistence p = NodePersistence.attach(alice, s)) {
            await(p.persistedAll());
            SessionID before = alice.get(map).sessions().keySet().iterator().next();
            alice.deleteCoValue(map);
            await(p.persisted(map));
            await(s.flush());
            assertTrue(s.isDeleted(map));
            assertTrue(s.knownState(map).sessions().keySet().stream().allMatch(SessionID::isDeleteSession));
            List<ContentPiece> served = new ArrayList<>();
            s.load(map, served::add);
            assertEquals(1, served.size());
            assertTrue(served.get(0).sessions().stream().allMatch(x -> x.sessionID().isDeleteSession()), "only the tombstone is served");
            StoreResult late = await(s.store(new ContentPiece(map, null, List.of(new ContentPiece.SessionPiece(before, 0,
                    alice.get(map).sessions().get(before).transactions(), alice.get(map).sessions().get(before).lastSignature().value())))));
            assertEquals(java.util.Set.of(before), late.skippedDeleted());
            assertEquals(1, await(s.eraseDeleted()));
            assertEquals(0, await(s.eraseDeleted()));
            assertTrue(s.verifyIntegrity().ok(), s.verifyIntegrity().problems().toString());
        }
        try (CoValueStorage s = open.apply(dir)) {
            LocalNode bob = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
            LoadReport report = new io.cojson.storage.engine.internal.NodeLoader(bob, s).load(map).report();
            assertTrue(report.clean(), report.toString());
            assertTrue(bob.get(map).isDeleted());
            assertTrue(IntegrityCheck.run(s, CRYPTO).ok(), IntegrityCheck.run(s, CRYPTO).problems().toString());
        }
    }
}
