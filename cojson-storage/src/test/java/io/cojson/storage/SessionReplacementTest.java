package io.cojson.storage;

import static io.cojson.storage.TestSupport.CRYPTO;
import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.IntegrityCheck;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.RecoveryJournalEntry;
import io.cojson.storage.engine.ReplaceResult;
import io.cojson.storage.engine.SessionReplacement;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.internal.NodeContent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The recovery unit (recovery.md §5.4) on both storages: one atomic, idempotent commit. */
class SessionReplacementTest {
    static final String REPAIRED = "{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}";

    @TempDir
    Path tmp;

    static Stream<Arguments> kinds() {
        Function<Path, CoValueStorage> sync = MapDbStorage::open;
        Function<Path, CoValueStorage> async = AsyncMapDbStorage::open;
        return Stream.of(Arguments.of("sync", sync), Arguments.of("async", async));
    }

    static void storeAll(CoValueStorage s, List<ContentPiece> pieces) {
        for (ContentPiece p : pieces) assertEquals(StoreResult.Status.STORED, await(s.store(p)).status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void replacesTheSessionWritesTheConflictSessionAndTheJournalTogether(String kind, Function<Path, CoValueStorage> open) {
        Fork f = Fork.task();
        LocalNode bob = TestSupport.agentNode(); // another session on the same map stays byte-identical
        bob.importContent(new ContentPiece(f.id, f.header, List.of()));
        TestSupport.set(bob, f.id, "assignee", "carol");
        SessionID bobSession = bob.sessionID();
        Path dir = tmp.resolve(kind);
        try (CoValueStorage s = open.apply(dir)) {
            storeAll(s, f.localContent());
            storeAll(s, NodeContent.since(bob, f.id, s.knownState(f.id)));
            ReplaceResult r = await(s.replaceSession(f.replacement(1)));
            assertEquals(2, r.conflictWritten());
            assertEquals(1, r.epoch());
            KnownState expected = new KnownState(f.id, true, Map.of(f.s, 3, bobSession, 1, f.s.conflictSession(), 2));
            assertEquals(expected.sessions(), r.stored().sessions());
            assertEquals(expected.sessions(), s.knownState(f.id).sessions());
            List<RecoveryJournalEntry> journal = s.journal(f.id);
            assertEquals(1, journal.size());
            assertEquals("COMMITTED", journal.get(0).status());
            assertEquals(2, journal.get(0).commonPrefix());
            assertTrue(IntegrityCheck.run(s, CRYPTO).ok(), IntegrityCheck.run(s, CRYPTO).problems().toString());
        }
        try (CoValueStorage s = open.apply(dir)) {
            LocalNode fresh = TestSupport.reload(s, f.id);
            assertEquals(1, fresh.get(f.id).sessions().get(bobSession).size());
            assertEquals(bob.get(f.id).sessions().get(bobSession).lastSignature(), fresh.get(f.id).sessions().get(bobSession).lastSignature());
            assertEquals(f.server.lastSignature(), fresh.get(f.id).sessions().get(f.s).lastSignature());
            assertTrue(TestSupport.view(fresh, f.id).contains("\"status\":\"review\""));
            assertTrue(TestSupport.view(fresh, f.id).contains("\"archived\":\"false\""));
            assertEquals(1, s.chainEpoch(f.id, f.s), "the stored epoch is the in-memory epoch after a restart");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void applyingTheSameUnitTwiceIsANoOp(String kind, Function<Path, CoValueStorage> open) {
        Fork f = Fork.task();
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            storeAll(s, f.localContent());
            ReplaceResult first = await(s.replaceSession(f.replacement(1)));
            ReplaceResult again = await(s.replaceSession(f.replacement(1)));
            assertEquals(first.stored(), again.stored());
            assertEquals(0, again.conflictWritten());
            assertEquals(2, again.conflictAlreadyPresent());
            assertEquals(1, s.journal(f.id).size());
            assertEquals(REPAIRED, TestSupport.view(TestSupport.reload(s, f.id), f.id));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aConflictingConflictSessionRejectsTheWholeUnit(String kind, Function<Path, CoValueStorage> open) {
        Fork f = Fork.task();
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            storeAll(s, f.localContent());
            await(s.replaceSession(f.replacement(1)));
            KnownState before = s.knownState(f.id);
            // a unit whose S! transaction 0 differs from the stored one (signed by another agent: different bytes)
            SessionLog wrong = f.log(f.s.conflictSession());
            f.set(wrong, "assignee=eve", 1);
            SessionReplacement bad = new SessionReplacement(f.id, f.s, Fork.pieces(f.server, 0),
                    new SessionPiece(wrong.sessionID(), 0, wrong.transactions(), wrong.lastSignature().value()), f.replacement(2).journal());
            assertThrows(ReplacementConflictException.class, () -> await(s.replaceSession(bad)));
            assertEquals(before, s.knownState(f.id));
            assertEquals(1, s.journal(f.id).size(), "nothing of the failed unit was written");
            assertEquals(REPAIRED, TestSupport.view(TestSupport.reload(s, f.id), f.id));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aServerVersionInSeveralPiecesGetsACheckpointAtEveryBoundary(String kind, Function<Path, CoValueStorage> open) {
        String big = "v".repeat(40_000);
        String[] serverTail = new String[12];
        for (int i = 0; i < serverTail.length; i++) serverTail[i] = "k" + i + "=" + big; // ~480 KB: several checkpoints
        Fork f = new Fork(new String[] {"title=Task"}, serverTail, new String[] {"assignee=bob"});
        assertTrue(Fork.pieces(f.server, 0).size() >= 3);
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            storeAll(s, f.localContent());
            await(s.replaceSession(f.replacement(1)));
            int[] pieces = {0};
            LocalNode fresh = TestSupport.agentNode();
            s.load(f.id, p -> {
                pieces[0]++;
                TestSupport.importAll(fresh, List.of(p));
            });
            assertTrue(pieces[0] >= 3, "streamed in " + pieces[0]);
            assertEquals(13, fresh.get(f.id).sessions().get(f.s).size());
            assertEquals(1, fresh.get(f.id).sessions().get(f.s.conflictSession()).size());
            assertTrue(s.verifyIntegrity().ok(), s.verifyIntegrity().problems().toString());
        }
    }

    /**
     * After a multi-piece replacement the stored row is the server's: each piece loads back with
     * the signature the server made at its last index, and S keeps growing from the server's
     * length (found by mutation testing of Units).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aReplacedSessionLoadsPieceByPieceAndKeepsGrowing(String kind, Function<Path, CoValueStorage> open) {
        String big = "v".repeat(40_000);
        String[] serverTail = new String[6];
        for (int i = 0; i < serverTail.length; i++) serverTail[i] = "k" + i + "=" + big;
        Fork f = new Fork(new String[] {"title=Task"}, serverTail, new String[] {"assignee=bob"});
        List<SessionPiece> expected = Fork.pieces(f.server, 0);
        assertTrue(expected.size() >= 2, "several pieces");
        Path dir = tmp.resolve(kind);
        try (CoValueStorage s = open.apply(dir)) {
            storeAll(s, f.localContent());
            ReplaceResult r = await(s.replaceSession(f.replacement(1)));
            s.advanceChainEpoch(f.id, f.s, r.epoch()); // the memory swap: later writes of S carry the new epoch
            // the server goes on: two small transactions and then one big one after its last checkpoint
            int before = f.server.size();
            f.set(f.server, "after1=x", 1_800_000_000_001L);
            f.set(f.server, "after2=" + big, 1_800_000_000_002L);
            for (SessionPiece p : Fork.pieces(f.server, before)) {
                assertEquals(StoreResult.Status.STORED, await(s.store(new ContentPiece(f.id, null, List.of(p)))).status());
            }
            assertEquals(f.server.size(), s.knownState(f.id).sessions().get(f.s));
        }
        try (CoValueStorage s = open.apply(dir)) {
            java.util.List<SessionPiece> loaded = new java.util.ArrayList<>();
            s.load(f.id, p -> p.sessions().stream().filter(x -> x.sessionID().equals(f.s)).forEach(loaded::add));
            // contiguous pieces from 0, each ending at a signature the server made at that very index
            assertTrue(loaded.size() >= 2, "streamed in " + loaded.size() + " pieces");
            int next = 0;
            for (SessionPiece p : loaded) {
                assertEquals(next, p.after(), "pieces are contiguous");
                next = p.after() + p.transactions().size();
                int end = next - 1;
                String serverSig = end == f.server.size() - 1 ? f.server.lastSignature().value()
                        : f.server.signatureAfter().containsKey(end) ? f.server.signatureAfter().get(end).value() : null;
                assertEquals(serverSig, p.lastSignature(), "the signature stored after transaction " + end);
            }
            assertEquals(f.server.size(), next);
            LocalNode fresh = TestSupport.reload(s, f.id);
            assertEquals(f.server.size(), fresh.get(f.id).sessions().get(f.s).size());
            assertEquals(f.server.lastSignature(), fresh.get(f.id).sessions().get(f.s).lastSignature());
            assertTrue(s.verifyIntegrity().ok(), s.verifyIntegrity().problems().toString());
        }
    }

    /**
     * The replaced row counts the bytes of the server version's last piece since its checkpoint, so
     * writes stored one at a time after the replacement get their checkpoints where the server's
     * session has them (the same rule, sync-protocol.md §11): a load cuts at exactly those indexes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void afterAReplacementCheckpointsContinueFromTheServerVersionsLastPiece(String kind, Function<Path, CoValueStorage> open) {
        String big = "v".repeat(40_000);
        Fork f = new Fork(new String[] {"title=Task"}, new String[] {"k0=" + big, "k1=" + big, "k2=" + big, "k3=" + big},
                new String[] {"assignee=bob"});
        assertEquals(2, Fork.pieces(f.server, 0).size(), "a checkpoint inside the server version, a second piece after it");
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            storeAll(s, f.localContent());
            ReplaceResult r = await(s.replaceSession(f.replacement(1)));
            s.advanceChainEpoch(f.id, f.s, r.epoch());
            int before = f.server.size();
            // the server goes on; each write is stored on its own, as a client sending every write does
            for (String kv : new String[] {"after1=" + "w".repeat(70_000), "after2=x", "after3=" + big, "after4=" + big}) {
                int from = f.server.size();
                f.set(f.server, kv, 1_800_000_000_000L + from);
                assertEquals(StoreResult.Status.STORED, await(s.store(new ContentPiece(f.id, null, Fork.pieces(f.server, from)))).status());
            }
            assertTrue(f.server.signatureAfter().containsKey(before), "non-vacuous: the last piece's bytes and the next write exceed the limit");
            java.util.TreeSet<Integer> ends = new java.util.TreeSet<>(f.server.signatureAfter().keySet());
            ends.add(f.server.size() - 1);
            List<Integer> expected = List.copyOf(ends);
            List<Integer> loaded = new java.util.ArrayList<>();
            s.load(f.id, p -> p.sessions().stream().filter(x -> x.sessionID().equals(f.s))
                    .forEach(x -> loaded.add(x.after() + x.transactions().size() - 1)));
            assertEquals(expected, loaded, "the last index of each loaded piece of S");
            assertEquals(f.server.lastSignature(), TestSupport.reload(s, f.id).get(f.id).sessions().get(f.s).lastSignature());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aDeletedValueKeepsOnlyItsTombstone(String kind, Function<Path, CoValueStorage> open) {
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        TestSupport.set(alice, map, "title", "Task");
        SessionID s = alice.sessionID();
        SessionLog serverVersion = alice.get(map).sessions().get(s).copy();
        try (CoValueStorage st = open.apply(tmp.resolve(kind)); NodePersistence p = NodePersistence.attach(alice, st)) {
            await(p.persistedAll());
            alice.deleteCoValue(map);
            await(p.persisted(map));
            await(st.flush());
            RecoveryJournalEntry j = new RecoveryJournalEntry(map, s, 1, 1, 1, serverVersion.lastSignature().value(), 1, 1, null, 0, 0,
                    "startup-check", 1L, "PLANNED");
            ReplaceResult r = await(st.replaceSession(new SessionReplacement(map, s, Fork.pieces(serverVersion, 0), null, j)));
            assertTrue(r.tombstone());
            assertTrue(r.stored().sessions().keySet().stream().allMatch(SessionID::isDeleteSession));
            assertEquals(1, st.journal(map).size());
            assertTrue(st.verifyIntegrity().ok());
        }
    }

    @Test
    void theSyncPathCompletesInline() {
        Fork f = Fork.task();
        try (MapDbStorage s = MapDbStorage.open(tmp.resolve("inline"))) {
            storeAll(s, f.localContent());
            var future = s.replaceSession(f.replacement(1));
            assertTrue(future.isDone(), "the unit ran inline; the caller may swap memory right away");
            assertEquals(REPAIRED, TestSupport.view(TestSupport.reload(s, f.id), f.id));
        }
    }

    static final String[] LONG_TAIL = {"assignee=bob", "archived=false", "due=friday", "notes=call carol"};

    /** S!'s first {@code n} transactions, re-signed exactly as the fork's conflict log (same changes, same times). */
    static SessionLog conflictPrefix(Fork f, int n) {
        SessionLog l = f.log(f.s.conflictSession());
        for (int i = 0; i < n; i++) f.set(l, LONG_TAIL[i], f.conflict.get(i).madeAt());
        for (int i = 0; i < n; i++) assertEquals(f.conflict.get(i).canonicalJson(), l.get(i).canonicalJson());
        return l;
    }

    /** A unit replacing S by the server version and writing {@code conflict}'s transactions [from, size) to S!. */
    static SessionReplacement unit(Fork f, int round, SessionLog conflict, int from) {
        RecoveryJournalEntry j = new RecoveryJournalEntry(f.id, f.s, round, f.prefix(), f.server.size(), f.server.lastSignature().value(),
                f.prefix(), f.local.size(), f.local.lastSignature().value(), from, conflict.size(), "server-error", 1_700_000_100_000L + round, "PLANNED");
        SessionPiece c = new SessionPiece(conflict.sessionID(), from, conflict.transactions().subList(from, conflict.size()),
                conflict.lastSignature().value());
        return new SessionReplacement(f.id, f.s, Fork.pieces(f.server, 0), c, j);
    }

    /**
     * A unit whose conflict transactions start inside what S! already holds (a later round, or a
     * re-run): the stored ones are compared and skipped, only the rest is appended, and running the
     * same unit again writes nothing (found by mutation testing of Units).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aConflictRunStartingInsideTheStoredOneAppendsOnlyWhatIsMissing(String kind, Function<Path, CoValueStorage> open) {
        Fork f = new Fork(new String[] {"title=Task"}, new String[] {"status=review"}, LONG_TAIL);
        Path dir = tmp.resolve(kind);
        try (CoValueStorage s = open.apply(dir)) {
            storeAll(s, f.localContent());
            ReplaceResult first = await(s.replaceSession(unit(f, 1, conflictPrefix(f, 2), 0))); // S! = c0 c1
            assertEquals(2, first.conflictWritten());
            ReplaceResult second = await(s.replaceSession(unit(f, 2, f.conflict, 1))); // c1 c2 c3 from index 1
            assertEquals(1, second.conflictAlreadyPresent(), "c1 is stored already");
            assertEquals(2, second.conflictWritten(), "c2 and c3 are appended");
            assertEquals(4, second.stored().count(f.s.conflictSession()));
            ReplaceResult again = await(s.replaceSession(unit(f, 2, f.conflict, 1))); // the same unit, re-run
            assertEquals(3, again.conflictAlreadyPresent(), "compared across both stored runs");
            assertEquals(0, again.conflictWritten());
            assertEquals(second.stored(), again.stored());
            assertEquals(2, s.journal(f.id).size());
        }
        try (CoValueStorage s = open.apply(dir)) {
            LocalNode fresh = TestSupport.reload(s, f.id);
            assertEquals(f.conflict.lastSignature(), fresh.get(f.id).sessions().get(f.s.conflictSession()).lastSignature());
            assertTrue(TestSupport.view(fresh, f.id).contains("\"notes\":\"call carol\""));
            assertTrue(IntegrityCheck.run(s, CRYPTO).ok(), IntegrityCheck.run(s, CRYPTO).problems().toString());
        }
    }

    /**
     * The comparison covers exactly the unit's range inside a stored run: a unit that matches the
     * middle of S! is a no-op, one that differs at its first index is rejected whole.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aConflictTransactionInsideAStoredRunIsComparedAtItsIndex(String kind, Function<Path, CoValueStorage> open) {
        Fork f = new Fork(new String[] {"title=Task"}, new String[] {"status=review"}, LONG_TAIL);
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            storeAll(s, f.localContent());
            await(s.replaceSession(unit(f, 1, conflictPrefix(f, 3), 0))); // one run: c0 c1 c2
            ReplaceResult middle = await(s.replaceSession(unit(f, 2, conflictPrefix(f, 2), 1))); // c1 alone
            assertEquals(1, middle.conflictAlreadyPresent());
            assertEquals(0, middle.conflictWritten());
            assertEquals(3, middle.stored().count(f.s.conflictSession()));
            LocalNode fresh = TestSupport.reload(s, f.id); // S! still ends with c2's signature
            assertEquals(conflictPrefix(f, 3).lastSignature(), fresh.get(f.id).sessions().get(f.s.conflictSession()).lastSignature());
            assertTrue(IntegrityCheck.run(s, CRYPTO).ok(), IntegrityCheck.run(s, CRYPTO).problems().toString());
            KnownState before = s.knownState(f.id);

            SessionLog other = f.log(f.s.conflictSession()); // c0, then another transaction at index 1
            f.set(other, LONG_TAIL[0], f.conflict.get(0).madeAt());
            f.set(other, "assignee=eve", f.conflict.get(1).madeAt());
            ReplacementConflictException e = assertThrows(ReplacementConflictException.class,
                    () -> await(s.replaceSession(unit(f, 3, other, 1))));
            assertTrue(e.getMessage().contains("different transaction at 1"), e.getMessage());
            assertEquals(before, s.knownState(f.id));
            assertEquals(2, s.journal(f.id).size(), "nothing of the rejected unit was written");
        }
    }

    /** recovery.md: the server holds nothing of S, so S leaves the disk and its whole local tail goes to S!. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void anEmptyServerVersionRemovesTheSession(String kind, Function<Path, CoValueStorage> open) {
        Fork f = new Fork(new String[0], new String[0], new String[] {"assignee=bob", "archived=false"});
        Path dir = tmp.resolve(kind);
        try (CoValueStorage s = open.apply(dir)) {
            storeAll(s, f.localContent());
            assertEquals(Map.of(f.s, 2), s.knownState(f.id).sessions());
            SessionPiece c = new SessionPiece(f.conflict.sessionID(), 0, f.conflict.transactions(), f.conflict.lastSignature().value());
            RecoveryJournalEntry j = new RecoveryJournalEntry(f.id, f.s, 1, 0, 0, null, 0, f.local.size(),
                    f.local.lastSignature().value(), 0, f.conflict.size(), "server-error", 1_700_000_100_000L, "PLANNED");
            ReplaceResult r = await(s.replaceSession(new SessionReplacement(f.id, f.s, List.of(), c, j)));
            assertEquals(Map.of(f.s.conflictSession(), 2), r.stored().sessions());
        }
        try (CoValueStorage s = open.apply(dir)) {
            assertEquals(Map.of(f.s.conflictSession(), 2), s.knownState(f.id).sessions(), "after a restart too");
        }
    }
}
