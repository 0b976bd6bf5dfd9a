package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.SignaturePrefetch;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.VerificationFailure;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.Group;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.values.internal.TypedNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Importing a batch with its signatures checked ahead on another thread gives exactly the results
 * of importing it inline; the prefetch only reports triples that really verified, and a wrong
 * guess of the signer costs only a verification on the applying thread.
 */
class SignaturePrefetchTest {
    private static final Crypto CRYPTO = new Crypto(CryptoProviders.auto());

    /** Account, group and {@code maps} small maps of one writer, exported in that order. */
    private static List<ContentPiece> exported(int maps) {
        CojsonNode writer = CojsonNode.createAccount(CRYPTO, "writer");
        Group group = writer.createGroup();
        List<RawCoID> ids = new ArrayList<>(List.of(writer.accountID(), group.id()));
        for (int i = 0; i < maps; i++) {
            CoMap m = group.createMap().trusting();
            for (int j = 0; j < 3; j++) m.set("k" + j, i * 3 + j);
            ids.add(m.id());
        }
        SessionLog.awaitBackgroundSignatures();
        List<ContentPiece> out = new ArrayList<>();
        for (RawCoID id : ids) out.addAll(TypedNodes.localNode(writer).exportContent(id));
        return out;
    }

    private static LocalNode receiver() {
        return TypedNodes.localNode(CojsonNode.createAccount(CRYPTO, "reader"));
    }

    private static ContentPiece withSession(ContentPiece p, ContentPiece.SessionPiece s) {
        return new ContentPiece(p.id(), p.header(), List.of(s));
    }

    /** Two map pieces spoiled: one signed by another piece's signature, one with a changed madeAt. */
    private static List<ContentPiece> tampered(List<ContentPiece> pieces) {
        List<ContentPiece> out = new ArrayList<>(pieces);
        ContentPiece a = out.get(5);
        ContentPiece b = out.get(6);
        ContentPiece.SessionPiece sa = a.sessions().get(0);
        ContentPiece.SessionPiece sb = b.sessions().get(0);
        out.set(5, withSession(a, new ContentPiece.SessionPiece(sa.sessionID(), 0, sa.transactions(), sb.lastSignature())));
        List<Transaction> txs = new ArrayList<>(sb.transactions());
        Transaction.Trusting t = (Transaction.Trusting) txs.get(1);
        txs.set(1, new Transaction.Trusting(t.changes(), t.madeAt() + 1, t.meta()));
        out.set(6, withSession(b, new ContentPiece.SessionPiece(sb.sessionID(), 0, txs, sb.lastSignature())));
        return out;
    }

    private static List<String> describe(List<AddResult> results) {
        List<String> out = new ArrayList<>();
        for (AddResult r : results) {
            out.add(r instanceof AddResult.Rejected rej ? rej.failure().kind() + " " + rej.failure().message() : r.toString());
        }
        return out;
    }

    @Test
    void prefetchedImportGivesTheInlineResults() {
        List<ContentPiece> pieces = tampered(exported(30));
        LocalNode inline = receiver();
        LocalNode prefetched = receiver();
        List<AddResult> expected = inline.importContent(pieces, false);
        List<AddResult> actual = prefetched.importContent(pieces, true);
        assertEquals(describe(expected), describe(actual));
        long rejected = expected.stream().filter(r -> !r.isAdded()).count();
        assertEquals(2, rejected, describe(expected).toString());
        for (AddResult r : expected) {
            if (r instanceof AddResult.Rejected rej) assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, rej.failure().kind());
        }
        for (ContentPiece p : pieces) {
            assertEquals(inline.require(p.id()).knownState(), prefetched.require(p.id()).knownState());
        }
    }

    @Test
    void prefetchReportsExactlyTheTriplesThatVerify() {
        List<ContentPiece> honest = exported(12);
        List<ContentPiece> pieces = tampered(honest);
        LocalNode node = receiver();
        SignaturePrefetch prefetch = node.signaturePrefetch(pieces);
        prefetch.run(); // on this thread: every job checked
        // the hashes and signers the applying thread computes, from an inline import of the honest pieces
        LocalNode reference = receiver();
        for (AddResult r : reference.importContent(honest, false)) assertTrue(r.isAdded(), r.toString());
        int verified = 0;
        for (int i = 0; i < pieces.size(); i++) {
            ContentPiece p = pieces.get(i);
            for (ContentPiece.SessionPiece s : p.sessions()) {
                SessionLog log = reference.require(p.id()).sessions().get(s.sessionID());
                boolean ok = prefetch.verified(log.signer(), log.lastHash().value(), s.lastSignature());
                if (i == 5 || i == 6) {
                    assertFalse(ok, "tampered piece " + i);
                } else {
                    assertTrue(ok, "honest piece " + i);
                    verified++;
                }
            }
        }
        assertEquals(pieces.size() - 2, verified);
        // and the applying thread still rejects the tampered ones
        List<AddResult> results = node.importContent(pieces, prefetch);
        assertEquals(2, results.stream().filter(r -> !r.isAdded()).count());
    }

    @Test
    void aWrongSignerGuessOnlyCostsAnInlineVerification() {
        List<ContentPiece> pieces = exported(10);
        LocalNode node = receiver();
        List<SignaturePrefetch.Job> jobs = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            for (ContentPiece.SessionPiece s : pieces.get(i).sessions()) {
                jobs.add(new SignaturePrefetch.Job(i, s.sessionID(), s.after(), s.transactions(), s.canonical(), s.lastSignature()));
            }
        }
        SessionID other = node.sessionID();
        SignaturePrefetch wrong = new SignaturePrefetch(CRYPTO, jobs,
                session -> io.cojson.core.covalue.SignerResolution.signerOf(other, node));
        wrong.run();
        for (AddResult r : node.importContent(pieces, wrong)) assertTrue(r.isAdded(), r.toString());
    }
    private static String text(List<ContentPiece> pieces) {
        List<JsonValue> messages = new ArrayList<>();
        for (ContentPiece p : pieces) messages.add(p.toContentMessage());
        return JsonWriter.stringify(new JsonValue.Arr(messages));
    }

    private static List<SignaturePrefetch.Job> jobs(List<ContentPiece> pieces) {
        List<SignaturePrefetch.Job> jobs = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            for (ContentPiece.SessionPiece s : pieces.get(i).sessions()) {
                jobs.add(new SignaturePrefetch.Job(i, s.sessionID(), s.after(), s.transactions(), s.canonical(), s.lastSignature()));
            }
        }
        return jobs;
    }

    @Test
    void importingTheTextGivesTheResultsOfParsingThenImportingInline() {
        String text = text(tampered(exported(30)));
        LocalNode inline = receiver();
        LocalNode streamed = receiver();
        List<ContentPiece> parsed = ContentMessages.parseArray(text);
        List<AddResult> expected = inline.importContent(parsed, false);
        List<AddResult> actual = streamed.importContentText(text);
        assertEquals(describe(expected), describe(actual));
        assertEquals(2, expected.stream().filter(r -> !r.isAdded()).count(), describe(expected).toString());
        for (ContentPiece p : parsed) {
            assertEquals(inline.require(p.id()).knownState(), streamed.require(p.id()).knownState());
        }
        // a batch below the prefetch threshold, and an empty one
        LocalNode small = receiver();
        List<ContentPiece> few = parsed.subList(0, 3);
        assertEquals(describe(receiver().importContent(few, false)), describe(small.importContentText(text(few))));
        assertEquals(List.of(), small.importContentText("[]"));
    }

    @Test
    void malformedTextImportsNothing() {
        List<ContentPiece> pieces = exported(12);
        String text = text(pieces);
        LocalNode node = receiver();
        int before = node.ids().size();
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> node.importContentText(text.substring(0, text.length() - 1)));
        assertEquals(before, node.ids().size());
    }

    /** Jobs offered from another thread while the prefetch runs: every honest triple, and only those, verified. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStreamingPrefetchVerifiesExactlyTheHonestPiecesAsTheyArrive() throws Exception {
        List<ContentPiece> honest = exported(12);
        List<ContentPiece> pieces = tampered(honest);
        LocalNode node = receiver();
        LocalNode reference = receiver();
        for (AddResult r : reference.importContent(honest, false)) assertTrue(r.isAdded(), r.toString());
        SignaturePrefetch prefetch = SignaturePrefetch.streaming(CRYPTO,
                session -> io.cojson.core.covalue.SignerResolution.signerOf(session, reference));
        List<SignaturePrefetch.Job> jobs = jobs(pieces);
        ContentPiece first = pieces.get(0);
        SessionLog firstLog = reference.require(first.id()).sessions().get(first.sessions().get(0).sessionID());
        boolean[] verifiedBeforeComplete = new boolean[1];
        Thread reader = new Thread(() -> {
            for (SignaturePrefetch.Job job : jobs.subList(0, jobs.size() - 1)) prefetch.offer(job);
            // the batch is not complete yet: the pieces that arrived are checked already
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(verifiedBeforeComplete[0] = prefetch.verified(firstLog.signer(), firstLog.lastHash().value(),
                    first.sessions().get(0).lastSignature())) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            prefetch.offer(jobs.get(jobs.size() - 1));
            prefetch.complete();
        });
        reader.start();
        prefetch.run(); // returns once the batch is complete and every job checked
        reader.join(30_000);
        assertFalse(reader.isAlive());
        assertTrue(verifiedBeforeComplete[0], "the first piece was verified while the batch was still being read");
        for (int i = 0; i < pieces.size(); i++) {
            ContentPiece p = pieces.get(i);
            for (ContentPiece.SessionPiece s : p.sessions()) {
                SessionLog log = reference.require(p.id()).sessions().get(s.sessionID());
                boolean ok = prefetch.verified(log.signer(), log.lastHash().value(), s.lastSignature());
                assertEquals(i != 5 && i != 6, ok, "piece " + i);
            }
        }
        List<AddResult> results = node.importContent(pieces, prefetch);
        assertEquals(describe(receiver().importContent(pieces, false)), describe(results));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aStreamingPrefetchThatIsNeverCompletedEndsWhenClosed() throws Exception {
        List<ContentPiece> pieces = exported(3);
        SignaturePrefetch prefetch = SignaturePrefetch.streaming(CRYPTO, session -> null);
        for (SignaturePrefetch.Job job : jobs(pieces)) prefetch.offer(job);
        Thread t = new Thread(prefetch);
        t.start();
        prefetch.close();
        t.join(10_000);
        assertFalse(t.isAlive(), "the prefetch thread waits for jobs only until it is closed");
        prefetch.complete();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> prefetch.offer(jobs(pieces).get(0)));
    }
}
