package io.cojson.storage;

import static io.cojson.storage.TestSupport.CRYPTO;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.RecoveryJournalEntry;
import io.cojson.storage.engine.SessionReplacement;
import java.util.ArrayList;
import java.util.List;

/**
 * A forked session of a task map (recovery.md §2): both versions of alice's session S share a
 * prefix; the server has one tail, alice's disk another; the conflict session S! holds alice's
 * divergent edits re-signed.
 */
final class Fork {
    final AgentSecret alice = CRYPTO.newRandomAgentSecret();
    final CoValueHeader header = CoValueHeader.create("comap", new Ruleset.UnsafeAllowAll(), JsonValue.NULL,
            CoValueHeader.isoTimestamp(1_700_000_000_000L), JsonValue.of(CRYPTO.newUniqueness()));
    final RawCoID id = header.id(CRYPTO);
    final SessionID s = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(alice).value());
    final SessionLog server = log(s);
    final SessionLog local = log(s);
    final SessionLog conflict = log(s.conflictSession());
    private long clock = 1_700_000_000_000L;

    Fork(String[] prefix, String[] serverTail, String[] localTail) {
        for (String kv : prefix) {
            long t = ++clock;
            set(server, kv, t);
            set(local, kv, t);
        }
        for (String kv : serverTail) set(server, kv, ++clock);
        for (String kv : localTail) {
            long t = ++clock;
            set(local, kv, t);
            set(conflict, kv, t); // same madeAt, same changes, re-signed in S!
        }
    }

    static Fork task() {
        return new Fork(new String[] {"title=Task", "priority=high"}, new String[] {"status=review"},
                new String[] {"assignee=bob", "archived=false"});
    }

    SessionLog log(SessionID session) {
        return new SessionLog(CRYPTO, session, CRYPTO.getAgentID(alice).signer());
    }

    void set(SessionLog log, String kv, long madeAt) {
        String[] p = kv.split("=", 2);
        String changes = JsonWriter.stringify(JsonValue.arr(CoMapContent.setChange(p[0], JsonValue.of(p[1]))));
        log.appendTrusting(alice.signer(), changes, madeAt, null);
    }

    /** A session's transactions [from, size) as pieces cut at its checkpoints. */
    static List<SessionPiece> pieces(SessionLog log, int from) {
        List<SessionPiece> out = new ArrayList<>();
        int start = from;
        for (int end = from; end < log.size(); end++) {
            Signature sig = end == log.size() - 1 ? log.lastSignature() : log.signatureAfter().get(end);
            if (sig == null) continue;
            out.add(new SessionPiece(log.sessionID(), start, log.transactions().subList(start, end + 1), sig.value()));
            start = end + 1;
        }
        return out;
    }

    /** Alice's disk before recovery: the header and her local version of S. */
    List<ContentPiece> localContent() {
        List<ContentPiece> out = new ArrayList<>();
        out.add(new ContentPiece(id, header, List.of()));
        for (SessionPiece p : pieces(local, 0)) out.add(new ContentPiece(id, null, List.of(p)));
        return out;
    }

    int prefix() {
        int p = 0;
        while (p < server.size() && p < local.size() && server.get(p).canonicalJson().equals(local.get(p).canonicalJson())) p++;
        return p;
    }

    SessionReplacement replacement(int round) {
        return replacement(round, server);
    }

    /** The unit replacing S with {@code serverVersion} and writing the whole conflict log from 0. */
    SessionReplacement replacement(int round, SessionLog serverVersion) {
        int p = prefix();
        List<Transaction> tail = conflict.transactions();
        SessionPiece c = tail.isEmpty() ? null : new SessionPiece(conflict.sessionID(), 0, tail, conflict.lastSignature().value());
        RecoveryJournalEntry j = new RecoveryJournalEntry(id, s, round, p, serverVersion.size(), serverVersion.lastSignature().value(),
                p, local.size(), local.lastSignature().value(), 0, conflict.size(), "server-error", 1_700_000_100_000L, "PLANNED");
        return new SessionReplacement(id, s, pieces(serverVersion, 0), c, j);
    }
}
